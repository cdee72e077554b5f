import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WRAPPED_KEY_FILE, type EngineConfig } from '../assistant/contract/engineConfig.js';

/** What the key uses of Electron's `safeStorage` (docs/api/safe-storage.md). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keystore (a hard-coded password), which protects nothing. */
  getSelectedStorageBackend?(): string;
}

/** The history key for the engine, or why history stays plain (French, for the app and `health`). */
export type HistoryKey = { key: Buffer; atRest: NonNullable<EngineConfig['atRest']> } | { key?: undefined; atRest: NonNullable<EngineConfig['atRest']> };

/** The warning of a PC without keystore (the app's banner, `guichet health`). */
export const PLAIN_STORAGE_WARNING = 'Ce poste ne fournit pas de trousseau sécurisé (DPAPI, Trousseau macOS, libsecret) : l’historique, les avis et la clé d’API saisie dans Paramètres sont enregistrés en clair dans le dossier de l’agent.';

/**
 * The key that seals history, feedback and the shared server's API key at rest (AES-256-GCM,
 * assistant/history/lineCipher.ts; the key: assistant/settings/remoteApiKey.ts): 32 random bytes made
 * once, kept in the data dir wrapped by the OS keystore (`safeStorage`: DPAPI, Keychain, libsecret), unwrapped at each
 * start. No keystore (or Linux's `basic_text`): plain storage, said so. A wrapped key that no longer unwraps (another
 * session, a reset keystore) is left in place, and history goes on in plain, said so too.
 */
export async function historyKey(safeStorage: SafeStorageLike, dataDir: string, platform: NodeJS.Platform = process.platform): Promise<HistoryKey> {
  const usable = safeStorage.isEncryptionAvailable() && !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  if (!usable) return { atRest: { state: 'plain', warning: PLAIN_STORAGE_WARNING } };
  const path = join(dataDir, WRAPPED_KEY_FILE);
  let wrapped: Buffer | undefined;
  try {
    wrapped = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (wrapped) {
    try {
      return { key: Buffer.from(safeStorage.decryptString(wrapped), 'base64'), atRest: { state: 'sealed' } };
    } catch {
      return {
        atRest: {
          state: 'plain',
          warning: `La clé de l’historique (${path}) ne peut plus être déverrouillée par le trousseau du système : les conversations chiffrées précédentes sont illisibles, les nouvelles sont enregistrées en clair.`,
        },
      };
    }
  }
  const key = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  await rename(temp, path);
  return { key, atRest: { state: 'sealed' } };
}
