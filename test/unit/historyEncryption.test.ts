import { appendFile, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WRAPPED_KEY_FILE } from '../../assistant/contract/engineConfig.js';
import { FeedbackStore } from '../../assistant/feedback/feedbackStore.js';
import { ConversationStore } from '../../assistant/history/conversationStore.js';
import { aesGcmLineCipher } from '../../assistant/history/lineCipher.js';
import { historyKey, type SafeStorageLike } from '../../electron/historyKey.js';

/** Electron's safeStorage as documented: encryptString → Buffer, decryptString(Buffer) → string, throws on a foreign buffer. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret'): SafeStorageLike & { secret: Buffer } {
  const secret = randomBytes(32);
  const cipher = aesGcmLineCipher(secret);
  return {
    secret,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text) => Buffer.from(cipher.seal(text)),
    decryptString: (buffer) => cipher.open(buffer.toString()),
  };
}

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-sealed-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the history key (Electron safeStorage)', () => {
  it('is made once, kept wrapped by the keystore in the data dir, and unwrapped at the next start', async () => {
    const storage = fakeSafeStorage();
    const first = await historyKey(storage, dataDir, 'linux');
    expect(first).toMatchObject({ atRest: { state: 'sealed' } });
    const wrapped = await readFile(join(dataDir, WRAPPED_KEY_FILE));
    expect(wrapped.includes(first.key!.toString('base64'))).toBe(false);
    const again = await historyKey(storage, dataDir, 'linux');
    expect(again.key?.equals(first.key!)).toBe(true);
  });

  it('no keystore (or Linux basic_text): plain storage, and a French warning for the app and health', async () => {
    for (const storage of [fakeSafeStorage(false), fakeSafeStorage(true, 'basic_text')]) {
      const found = await historyKey(storage, dataDir, 'linux');
      expect(found.key).toBeUndefined();
      expect(found.atRest).toMatchObject({ state: 'plain', warning: expect.stringMatching(/trousseau.*en clair/) });
    }
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('a wrapped key the keystore no longer opens: left in place, history goes on in plain, said so', async () => {
    await historyKey(fakeSafeStorage(), dataDir, 'win32');
    const other = await historyKey(fakeSafeStorage(), dataDir, 'win32');
    expect(other.key).toBeUndefined();
    expect(other.atRest).toMatchObject({ state: 'plain', warning: expect.stringContaining('ne peut plus être déverrouillée') });
  });
});

describe('history and feedback sealed at rest', () => {
  it('nothing of a conversation is readable on disk; the app reads it; a shell without the key says why in French', async () => {
    const cipher = aesGcmLineCipher(randomBytes(32));
    const store = new ConversationStore({ dataDir, redact: (text) => text, cipher });
    const conversation = await store.create('Carte vitale de Mme Dupont');
    await store.append(conversation.id, { role: 'agent', text: 'Carte vitale de Mme Dupont' });
    expect((await store.list()).conversations[0]?.title).toContain('Carte vitale');
    const folder = join(dataDir, 'conversations');
    for (const name of await readdir(folder)) {
      const text = await readFile(join(folder, name), 'utf8');
      expect(text, name).not.toMatch(/Dupont|Carte vitale/);
      expect(text.startsWith('g1:'), name).toBe(true);
    }
    expect((await store.get(conversation.id)).messages[0]?.text).toBe('Carte vitale de Mme Dupont');

    const cli = new ConversationStore({ dataDir, redact: (text) => text });
    await expect(cli.get(conversation.id)).rejects.toMatchObject({ name: 'HistoryError', code: 'history-encrypted', message: expect.stringContaining('application de bureau') });
    await expect(cli.list()).rejects.toMatchObject({ code: 'history-encrypted' });
  });

  it('keeps its crash safety: a torn sealed line is cut by the next append, and plain lines from before still read', async () => {
    const plain = new ConversationStore({ dataDir, redact: (text) => text });
    const conversation = await plain.create('Avant le chiffrement');
    await plain.append(conversation.id, { role: 'agent', text: 'ligne en clair' });
    const cipher = aesGcmLineCipher(randomBytes(32));
    const sealed = new ConversationStore({ dataDir, redact: (text) => text, cipher });
    await sealed.append(conversation.id, { role: 'assistant', text: 'réponse chiffrée' });
    await appendFile(join(dataDir, 'conversations', `${conversation.id}.jsonl`), 'g1:AAAA'); // killed mid-line
    await sealed.append(conversation.id, { role: 'agent', text: 'après la coupure' });
    const read = await sealed.get(conversation.id);
    expect(read.messages.map((message) => message.text)).toEqual(['ligne en clair', 'réponse chiffrée', 'après la coupure']);
    expect(read.skippedLines).toBe(0);
  });

  it('feedback too', async () => {
    const cipher = aesGcmLineCipher(randomBytes(32));
    const feedback = new FeedbackStore({ dataDir, redact: (text) => text, cipher });
    const { id: conversationId } = await new ConversationStore({ dataDir, redact: (text) => text, cipher }).create('RSA');
    await feedback.record({ conversationId, messageId: 'm-1', verdict: 'edited', comment: 'montant corrigé' });
    expect(await readFile(join(dataDir, 'feedback.jsonl'), 'utf8')).not.toContain('corrigé');
    expect((await feedback.entries()).entries).toHaveLength(1);
    await expect(new FeedbackStore({ dataDir, redact: (text) => text }).entries()).rejects.toMatchObject({ code: 'history-encrypted' });
  });
});
