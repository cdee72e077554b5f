import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RemoteModelError } from '../../remote-models/remoteModelError.js';

/**
 * Where the API key the agent entered in Paramètres is kept. The desktop shell replaces this with Electron's
 * `safeStorage` (encrypted by the OS); the file store below is the engine's own, for the CLI and the web shell.
 */
export interface SecretStore {
  /** The key, or `undefined` when none was entered. */
  read(): Promise<string | undefined>;
  write(secret: string): Promise<void>;
  clear(): Promise<void>;
}

/**
 * The key in `<dataDir>/secrets/remote-api-key`, readable by the user only (0600, folder 0700). NOT encrypted: on a
 * shared PC, prefer the policy's `remote.apiKeyFile` (a file IT protects) or the desktop app's encrypted storage.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly path: string) {}

  static forDataDir(dataDir: string): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets', 'remote-api-key'));
  }

  async read(): Promise<string | undefined> {
    try {
      const text = (await readFile(this.path, 'utf8')).trim();
      return text || undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RemoteModelError('remote-key-unreadable', "La clé d'API enregistrée sur ce poste est illisible : saisissez-la à nouveau dans Paramètres.", { cause: (error as Error).message });
    }
  }

  async write(secret: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${secret.trim()}\n`, { mode: 0o600, flush: true });
    await chmod(temp, 0o600);
    await rename(temp, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

/**
 * The server's API key: the file policy names (`remote.apiKeyFile`) first, else what the agent entered. Read when a
 * connection is made, never logged; the error names the file, never its content.
 */
export async function remoteApiKey(apiKeyFile: string | null, store: SecretStore): Promise<string | undefined> {
  if (!apiKeyFile) return store.read();
  try {
    const text = (await readFile(apiKeyFile, 'utf8')).trim();
    return text || undefined;
  } catch (error) {
    throw new RemoteModelError('remote-key-unreadable', `Le fichier de clé d'API fixé par la politique machine (${apiKeyFile}) est illisible. Prévenez le service informatique.`, {
      cause: (error as NodeJS.ErrnoException).code ?? 'lecture impossible',
    });
  }
}
