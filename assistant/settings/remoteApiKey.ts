import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RemoteModelError } from '../../remote-models/remoteModelError.js';
import { isSealed, type LineCipher } from '../history/lineCipher.js';

/** Where the API key the agent entered in Paramètres is kept. */
export interface SecretStore {
  /** `sealed`: encrypted with the key the OS keystore protects (desktop app); `plain`: readable by the user's account. */
  readonly protection: 'sealed' | 'plain';
  /** The key, or `undefined` when none was entered. */
  read(): Promise<string | undefined>;
  write(secret: string): Promise<void>;
  clear(): Promise<void>;
}

const UNREADABLE = "La clé d'API enregistrée sur ce poste est illisible : saisissez-la à nouveau dans Paramètres.";

/**
 * The key in `<dataDir>/secrets/remote-api-key`, readable by the user only (0600, folder 0700). With a cipher (the
 * desktop app's data key, which the OS keystore unwraps: electron/historyKey.ts), it is stored sealed with AES-256-GCM
 * like history; without one (CLI, web shell, a PC without keystore) it is stored in plain, which Paramètres says: on
 * a shared PC, prefer the policy's `remote.apiKeyFile` (a file IT protects).
 */
export class FileSecretStore implements SecretStore {
  constructor(
    private readonly path: string,
    private readonly cipher?: LineCipher,
  ) {}

  static forDataDir(dataDir: string, cipher?: LineCipher): FileSecretStore {
    return new FileSecretStore(join(dataDir, 'secrets', 'remote-api-key'), cipher);
  }

  get protection(): 'sealed' | 'plain' {
    return this.cipher ? 'sealed' : 'plain';
  }

  async read(): Promise<string | undefined> {
    let text: string;
    try {
      text = (await readFile(this.path, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RemoteModelError('remote-key-unreadable', UNREADABLE, { cause: (error as Error).message });
    }
    if (!text) return undefined;
    if (!isSealed(text)) {
      // Entered before this PC could seal it (or in the CLI): sealed now, the plain copy replaced atomically.
      if (this.cipher) await this.write(text).catch(() => {});
      return text;
    }
    if (!this.cipher) {
      throw new RemoteModelError('remote-key-unreadable', "La clé d'API de ce poste est chiffrée par l'application de bureau Guichet : utilisez l'application, ou saisissez la clé à nouveau ici.", { cause: 'sealed key, no cipher' });
    }
    try {
      return this.cipher.open(text).trim() || undefined;
    } catch (error) {
      throw new RemoteModelError('remote-key-unreadable', UNREADABLE, { cause: `unseal: ${(error as Error).message}` });
    }
  }

  async write(secret: string): Promise<void> {
    const trimmed = secret.trim();
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, `${this.cipher ? this.cipher.seal(trimmed) : trimmed}\n`, { mode: 0o600, flush: true });
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
