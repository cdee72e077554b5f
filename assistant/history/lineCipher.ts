import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { HistoryError } from './historyError.js';

/** How a sealed line starts: never valid JSON, so that a reader without the key knows it is encrypted, not damaged. */
export const SEALED_PREFIX = 'g1:';

/**
 * Encryption at rest of one line of history or feedback (or one cache file): each line sealed on its own, so that the
 * JSON Lines files keep their crash safety (a torn last line is cut as before) and plain lines written before the
 * key existed stay readable.
 */
export interface LineCipher {
  seal(text: string): string;
  /** Throws when the line was sealed with another key or altered. */
  open(sealed: string): string;
}

/** Whether a stored line is sealed. */
export function isSealed(text: string): boolean {
  return text.startsWith(SEALED_PREFIX);
}

/** AES-256-GCM, a random 96-bit nonce per line: `g1:` + base64(nonce ‖ tag ‖ ciphertext). `key`: 32 bytes. */
export function aesGcmLineCipher(key: Buffer): LineCipher {
  if (key.length !== 32) throw new Error('clé de chiffrement de l’historique : 32 octets attendus');
  return {
    seal(text) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return `${SEALED_PREFIX}${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed) {
      const bytes = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** What a shell without the key (the CLI, `guichet serve`) says when it meets sealed lines. */
export function historyEncryptedError(): HistoryError {
  return new HistoryError(
    'history-encrypted',
    "L'historique de ce poste est chiffré par l'application de bureau Guichet (clé protégée par le trousseau du système) : la ligne de commande et « guichet serve » ne peuvent pas le lire. Consultez-le dans l'application.",
  );
}
