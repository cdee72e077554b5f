import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

/** Services Publics+ through the real engine: real llama.cpp, a real index, the library on disk. */
const STORIES = sharedFile('models/stories260K.gguf');
const MENTION = 'Réponse préparée avec un outil d’IA (mention fixée par la DSI).';
/** An index of the associations feed, built once and copied into each test's own data dir. */
let indexed: string;
let dataDir: string;
let engine: EngineHost;

beforeAll(async () => {
  indexed = await mkdtemp(join(tmpdir(), 'guichet-reply-index-'));
  const kb = KnowledgeBase.create(indexed);
  await kb.importFeeds([await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir: indexed, allowDownloads: false })]);
  kb.close();
});
afterAll(async () => {
  await rm(indexed, { recursive: true, force: true });
});

// Each test has its own data dir (and so its own library of replies) and its own engine.
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-reply-'));
  await cp(join(indexed, 'index'), join(dataDir, 'index'), { recursive: true });
  const settings = { ...defaultSettings(), 'runtime.threads': 1, 'replies.aiMention': MENTION };
  engine = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings } }) });
});
afterEach(async () => {
  await engine.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const testimony = "J'ai déposé les statuts de mon association il y a deux mois et je n'ai aucune nouvelle. Comment déclarer une association ? Jean Martin, jean.martin@exemple.fr";

describe('Services Publics+ replies', () => {
  it('drafts a reply with the policy’s AI mention exactly once', async () => {
    const tokens: string[] = [];
    const draft = await engine.call('reply.draft', { testimony, institution: 'Préfecture de la Gironde', modelPath: STORIES }, {
      onEvent: (event) => event.type === 'token' && tokens.push(event.text),
    });
    expect(draft.mode).toBe('model');
    expect(tokens.length).toBeGreaterThan(0);
    expect(draft.mention).toBe(MENTION);
    expect(draft.reply.endsWith(MENTION)).toBe(true);
    expect(draft.reply.split(MENTION)).toHaveLength(2);
  });

  it('keeps a library of validated replies, masked, shared by export and import', async () => {
    const entry = await engine.call('replies.add', {
      institution: 'Préfecture de la Gironde',
      testimony,
      reply: 'Madame, Monsieur, nous vous remercions de votre message. Le service des associations…',
    });
    const stored = await readFile(join(dataDir, 'replies', 'library.json'), 'utf8');
    expect(stored).not.toContain('jean.martin@exemple.fr');
    const exported = await engine.call('replies.export', undefined);
    await engine.call('replies.delete', { id: entry.id });
    expect(await engine.call('replies.list', undefined)).toEqual([]);
    expect(await engine.call('replies.import', { json: exported, mode: 'merge' })).toMatchObject({ added: 1, total: 1 });
    await expect(engine.call('replies.import', { json: '{ pas du json', mode: 'replace' })).rejects.toMatchObject({ name: 'ReplyError' });
    expect(await engine.call('replies.list', undefined)).toHaveLength(1);
  });

  it('without a model, offers the closest validated replies and no AI mention', async () => {
    await engine.call('replies.add', { institution: 'Caisse d’allocations familiales', testimony: 'Mon allocation logement n’est pas versée.', reply: 'Madame, Monsieur, votre dossier…' });
    await engine.call('replies.add', { institution: 'Préfecture de la Gironde', testimony, reply: 'Madame, Monsieur, le service des associations…' });
    const draft = await engine.call('reply.draft', { testimony, institution: 'Préfecture de la Gironde', useModel: false });
    expect(draft).toMatchObject({ mode: 'library-only', mention: null });
    expect(draft.suggestions[0]?.institution).toBe('Préfecture de la Gironde');
    await expect(engine.call('reply.draft', { testimony: '  ', useModel: false })).rejects.toMatchObject({ name: 'ReplyError' });
  });
});
