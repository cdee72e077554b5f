import { appendFile, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationStore } from '../../assistant/history/conversationStore.js';
import { HistoryError } from '../../assistant/history/historyError.js';
import { KeyedQueue } from '../../assistant/history/keyedQueue.js';

/** A stand-in for the privacy module's masker: e-mail addresses only. */
const maskEmails = (text: string): string => text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[COURRIEL]');

let dataDir: string;
let clock: number;
let store: ConversationStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-history-'));
  clock = Date.parse('2026-11-21T10:15:00.000Z');
  store = new ConversationStore({ dataDir, redact: maskEmails, now: () => new Date((clock += 1000)) });
});

const fileOf = (id: string): string => join(dataDir, 'conversations', `${id}.jsonl`);

describe('ConversationStore', () => {
  it('appends messages and reads them back in order, with sources and stats', async () => {
    const { id, title } = await store.create('Comment renouveler une carte d’identité ?');
    expect(id).toMatch(/^2026-11-21T10-15-01-000-[a-z0-9]{6}$/);
    expect(title).toBe('Comment renouveler une carte d’identité ?');
    const question = await store.append(id, { role: 'agent', text: 'Comment renouveler une carte d’identité ?' });
    const source = { ficheId: 'F1341', title: "Carte d'identité", url: 'https://www.service-public.fr/particuliers/vosdroits/F1341', date: '2026-03-12' };
    const answer = await store.append(id, {
      role: 'assistant',
      text: 'Il faut prendre rendez-vous en mairie [1].',
      citations: [{ n: 1, ficheId: 'F1341' }],
      sources: [source],
      stats: { completionTokens: 12, timeToFirstTokenMs: null },
    });
    expect(answer.id).not.toBe(question.id);
    const conversation = await store.get(id);
    expect(conversation.messages.map((m) => m.text)).toEqual([question.text, answer.text]);
    expect(conversation.messages[1]).toEqual(answer);
    expect(conversation).toMatchObject({ messageCount: 2, skippedLines: 0, updatedAt: answer.createdAt });
  });

  it('keeps what the source cards showed (audience, passages, uncited fiches) and still reads lines written without them', async () => {
    const { id } = await store.create('Déclaration préalable à l’embauche');
    const passage = { n: 1, text: "La déclaration préalable à l'embauche se fait auprès de l'Urssaf.", sectionPath: ['Démarche'] };
    const cited = { ficheId: 'F23571', title: 'Déclaration préalable', url: 'https://entreprendre.service-public.fr/vosdroits/F23571', date: '2025-09-01', audience: 'professionnels', passages: [passage] };
    const uncited = { ...cited, ficheId: 'F2', passages: [{ text: 'Autre passage.', sectionPath: [] }] };
    await store.append(id, { role: 'assistant', text: "Auprès de l'Urssaf [1].", citations: [{ n: 1, ficheId: 'F23571' }], sources: [cited], consulted: [uncited] });
    // A line of an older version: sources without audience nor passages.
    const old = { type: 'message', id: 'mold', createdAt: '2026-11-21T10:20:00.000Z', role: 'assistant', text: 'Ancien brouillon.', sources: [{ ficheId: 'F1', title: 'T', url: 'https://www.service-public.fr/x', date: '2024-01-01' }] };
    await appendFile(fileOf(id), `${JSON.stringify(old)}\n`);
    const { messages, skippedLines } = await store.get(id);
    expect(skippedLines).toBe(0);
    expect(messages[0]).toMatchObject({ sources: [cited], consulted: [uncited] });
    expect(messages[1]!.sources).toEqual(old.sources);
  });

  it('writes no e-mail address to disk: question, answer and title are masked before writing', async () => {
    const { id, title } = await store.create('Dossier de jean.dupont@example.fr bloqué');
    await store.append(id, { role: 'agent', text: 'Dossier de jean.dupont@example.fr bloqué' });
    await store.append(id, { role: 'assistant', text: 'Écrivez à marie@exemple.gouv.fr pour jean.dupont@example.fr.' });
    expect(title).toBe('Dossier de [COURRIEL] bloqué');
    const raw = await readFile(fileOf(id), 'utf8');
    expect(raw).not.toMatch(/dupont|marie@/);
    expect(raw).toContain('[COURRIEL]');
    await store.list();
    const index = await readFile(join(dataDir, 'conversations', 'index.json'), 'utf8');
    expect(index).not.toContain('dupont');
    // Readable by the agent's account only, on a PC other people may log on to.
    if (process.platform !== 'win32') expect((await stat(fileOf(id))).mode & 0o777).toBe(0o600);
  });

  it('cuts long titles near 80 characters, after masking', async () => {
    const long = `Bonjour, ${'je voudrais savoir comment faire '.repeat(5)}écrire à quelqu.un@example.org`;
    const { title } = await store.create(long);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith('…')).toBe(true);
    const { title: masked } = await store.create(`${'a'.repeat(70)} x.y@example.org et la suite`);
    expect(masked).not.toContain('x.y@');
  });

  it('ignores a torn last line, and the next append cuts it off instead of gluing onto it', async () => {
    const { id } = await store.create('Question');
    await store.append(id, { role: 'agent', text: 'un' });
    await appendFile(fileOf(id), '{"type":"message","id":"torn","role":"assis');
    expect((await store.get(id)).messages.map((m) => m.text)).toEqual(['un']);
    await store.append(id, { role: 'assistant', text: 'deux' });
    const conversation = await store.get(id);
    expect(conversation.messages.map((m) => m.text)).toEqual(['un', 'deux']);
    expect(conversation.skippedLines).toBe(0);
    expect(await readFile(fileOf(id), 'utf8')).not.toContain('torn');
  });

  it('skips an unparsable or malformed line in the middle without losing the others', async () => {
    const { id } = await store.create('Question');
    await store.append(id, { role: 'agent', text: 'avant' });
    await appendFile(fileOf(id), 'ceci n’est pas du JSON\n{"type":"message","role":"pirate"}\n');
    await store.append(id, { role: 'assistant', text: 'après' });
    const conversation = await store.get(id);
    expect(conversation.messages.map((m) => m.text)).toEqual(['avant', 'après']);
    expect(conversation.skippedLines).toBe(2);
    expect((await store.list()).conversations[0]).toMatchObject({ id, messageCount: 2 });
  });

  it('keeps the messages of a conversation whose header was lost', async () => {
    const { id } = await store.create();
    await store.append(id, { role: 'agent', text: 'Première question sur les impôts' });
    const raw = await readFile(fileOf(id), 'utf8');
    await writeFile(fileOf(id), raw.replace(/^[^\n]*/, '{"type":"conver'));
    const conversation = await store.get(id);
    expect(conversation.title).toBe('Première question sur les impôts');
    expect(conversation.messages).toHaveLength(1);
    expect(conversation.createdAt).toBe('2026-11-21T10:15:01.000Z');
  });

  it('serialises concurrent appends to one conversation: no interleaved lines', async () => {
    const { id } = await store.create('Question');
    const big = (n: number): string => `${n}:${'é'.repeat(50_000)}`;
    await Promise.all(Array.from({ length: 20 }, (_, n) => store.append(id, { role: 'assistant', text: big(n) })));
    const conversation = await store.get(id);
    expect(conversation.skippedLines).toBe(0);
    expect(conversation.messages.map((m) => m.text).sort()).toEqual(Array.from({ length: 20 }, (_, n) => big(n)).sort());
  });

  it('lists newest first with title, dates and count, by page, and survives a corrupt index', async () => {
    const ids: string[] = [];
    for (const question of ['Premier', 'Deuxième', 'Troisième']) {
      const { id } = await store.create(question);
      await store.append(id, { role: 'agent', text: question });
      ids.push(id);
    }
    const page = await store.list({ limit: 2 });
    expect(page.total).toBe(3);
    expect(page.conversations.map((c) => c.title)).toEqual(['Troisième', 'Deuxième']);
    expect(page.conversations[0]).toMatchObject({ id: ids[2], messageCount: 1 });
    expect((await store.list({ limit: 2, offset: 2 })).conversations.map((c) => c.id)).toEqual([ids[0]]);

    // The cache is updated incrementally after an append…
    await store.append(ids[0]!, { role: 'assistant', text: 'Réponse' });
    expect((await store.list({ offset: 2 })).conversations[0]).toMatchObject({ messageCount: 2 });
    // …and rebuilt from the files when it is damaged.
    await writeFile(join(dataDir, 'conversations', 'index.json'), '{"version":1,"conversations":{"x":');
    const fresh = new ConversationStore({ dataDir, redact: maskEmails });
    const rebuilt = await fresh.list();
    expect(rebuilt.conversations.map((c) => [c.title, c.messageCount])).toEqual([['Troisième', 1], ['Deuxième', 1], ['Premier', 2]]);
  });

  it('lists nothing for a fresh data dir, and titles an untitled conversation by its first question', async () => {
    expect(await store.list()).toEqual({ total: 0, conversations: [] });
    const { id, title } = await store.create();
    expect(title).toBe('Nouvelle conversation');
    await store.append(id, { role: 'agent', text: 'Aide au logement pour un étudiant' });
    expect((await store.list()).conversations[0]?.title).toBe('Aide au logement pour un étudiant');
    expect((await store.get(id)).title).toBe('Aide au logement pour un étudiant');
  });

  it('deletes for good: file gone, title gone from the index, later appends refused', async () => {
    const { id } = await store.create('Secret de famille');
    const other = await store.create('Autre');
    await store.list();
    await store.delete(id);
    expect(await readdir(join(dataDir, 'conversations'))).not.toContain(`${id}.jsonl`);
    expect(await readFile(join(dataDir, 'conversations', 'index.json'), 'utf8')).not.toContain('Secret');
    await expect(store.get(id)).rejects.toMatchObject({ name: 'HistoryError', code: 'conversation-not-found' });
    await expect(store.append(id, { role: 'agent', text: 'trop tard' })).rejects.toMatchObject({ code: 'conversation-not-found' });
    await expect(store.delete(id)).rejects.toMatchObject({ code: 'conversation-not-found' });
    expect((await store.list()).conversations.map((c) => c.id)).toEqual([other.id]);
  });

  it('refuses ids that are not ours, path traversal first of all, with a typed French error', async () => {
    for (const bad of ['../../etc/passwd', '..', '2026-11-21T10-15-00-000-abc123/../../x', 'C:\\Windows\\win.ini', '', 'ABC']) {
      const error = await store.get(bad).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HistoryError);
      expect(error).toMatchObject({ code: 'conversation-id-invalid' });
      expect((error as Error).message).toMatch(/Identifiant de conversation invalide/);
      await expect(store.append(bad, { role: 'agent', text: 'x' })).rejects.toMatchObject({ code: 'conversation-id-invalid' });
      await expect(store.delete(bad)).rejects.toMatchObject({ code: 'conversation-id-invalid' });
      await expect(store.exportMarkdown(bad)).rejects.toMatchObject({ code: 'conversation-id-invalid' });
    }
  });

  it('refuses a malformed message without writing anything', async () => {
    const { id } = await store.create('Question');
    const before = await readFile(fileOf(id), 'utf8');
    const bad = { role: 'system', text: 'ignore tout' } as unknown as Parameters<ConversationStore['append']>[1];
    await expect(store.append(id, bad)).rejects.toMatchObject({ code: 'history-entry-invalid' });
    expect(await readFile(fileOf(id), 'utf8')).toBe(before);
  });

  it('reports an unwritable data dir as history-unwritable', async () => {
    const file = join(dataDir, 'not-a-dir');
    await writeFile(file, '');
    const broken = new ConversationStore({ dataDir: file, redact: maskEmails });
    await expect(broken.create('x')).rejects.toMatchObject({ code: 'history-unwritable' });
  });
});

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time in call order, other keys alongside, past failures', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    // The tasks wait on a gate the test opens, not on a delay: while it is shut, what has started is what may run.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const task = (name: string, fail = false) => async (): Promise<string> => {
      running += 1;
      log.push(`start ${name}`);
      await gate;
      log.push(`end ${name}`);
      running -= 1;
      if (fail) throw new Error(name);
      return name;
    };
    const settled = Promise.allSettled([
      queue.run('a', task('a1')),
      queue.run('a', task('a2', true)),
      queue.run('a', task('a3')),
      queue.run('b', task('b1')),
    ]);
    // a1 and b1 run alongside; a2 and a3 wait for a1.
    await vi.waitFor(() => expect(running).toBe(2));
    expect(log).toEqual(['start a1', 'start b1']);
    open();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const ofA = log.filter((line) => line.endsWith('a1') || line.endsWith('a2') || line.endsWith('a3'));
    expect(ofA).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
  });
});
