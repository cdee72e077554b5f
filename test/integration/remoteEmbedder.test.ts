import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { openPassageEncoder, type DisposablePassageEncoder } from '../../assistant/knowledge/passageEncoderFactory.js';
import { defaultSettings, type Settings } from '../../assistant/settings/settingsSchema.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openAiStandIn.js';
import { DILA_FEEDS, sharedDir, sharedFile } from '../support/sharedData.js';

/**
 * Remote embeddings: the stand-in serves `/v1/embeddings` with the real transformers.js embedder of ../shared, and the
 * knowledge base fills and searches its vectors through the shared server, as with a local embedder.
 */
const EMBEDDER = sharedDir('models/embedder-synthetic-minilm');
const KEY = 'cle-embeddings-test';
let local: DisposablePassageEncoder;
let standIn: OpenAiStandIn;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-remote-embed-'));
  local = await openPassageEncoder(EMBEDDER, { threads: 1 });
  standIn = await startOpenAiStandIn({
    modelPath: sharedFile('models/stories260K.gguf'),
    apiKey: KEY,
    embed: async (texts) => (await local.embedPassages(texts)).map((vector) => [...vector]),
  });
});

afterAll(async () => {
  await standIn?.close();
  await local?.dispose();
  await rm(work, { recursive: true, force: true });
});

const remote = () => openPassageEncoder('remote:minilm', { remote: async () => ({ url: standIn.url, apiKey: KEY }) });

describe('remote embeddings', () => {
  it('gives the server’s vectors, unit length, under an id naming the server and the model', async () => {
    const encoder = await remote();
    try {
      expect(encoder.id).toBe(`remote:${standIn.host}/minilm`);
      expect(encoder.dimension).toBe(local.dimension);
      const texts = ['Créer une association loi 1901', 'Renouveler une carte d’identité'];
      const [mine, theirs] = [await local.embedPassages(texts), await encoder.embedPassages(texts)];
      for (const [i, vector] of theirs.entries()) {
        const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0));
        expect(norm).toBeCloseTo(1, 5);
        expect(vector.reduce((dot, v, j) => dot + v * mine[i]![j]!, 0)).toBeCloseTo(1, 5);
      }
      const progress: number[] = [];
      await encoder.embedPassages(Array.from({ length: 70 }, (_, i) => `texte ${i}`), { onProgress: (done) => progress.push(done) });
      expect(progress).toEqual([32, 64, 70]);
    } finally {
      await encoder.dispose();
    }
    const refused = await openPassageEncoder('remote:minilm', { remote: async () => ({ url: standIn.url }) }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'RemoteModelError', code: 'remote-unauthorized' });
    const none = await openPassageEncoder('remote:minilm').catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'remote-not-allowed' });
  });

  it('fills an index through the server, searches it hybrid, and a local embedder never mixes with its vectors', async () => {
    const encoder = await remote();
    const dataDir = join(work, 'kb');
    try {
      const kb = KnowledgeBase.create(dataDir, encoder);
      const feed = await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir, allowDownloads: false });
      const report = await kb.importFeeds([feed]);
      expect(report.manifest.embedder).toEqual({ id: `remote:${standIn.host}/minilm`, dimension: 384 });
      const result = await kb.search({ query: 'créer une association', k: 5 });
      expect(result.mode).toBe('hybrid');
      expect(result.hits.map((h) => h.ficheId)).toContain('F3109');
      kb.close();
    } finally {
      await encoder.dispose();
    }
    // The same model run on this PC has another id: the index's vectors are not used with it.
    const mixed = KnowledgeBase.create(dataDir, local);
    try {
      expect((await mixed.search({ query: 'créer une association', k: 5 })).mode).toBe('fulltext');
    } finally {
      mixed.close();
    }
  });

  it('in the engine, machine policy decides: allowed, search is hybrid through the server; refused, full-text, and nothing is sent', async () => {
    const dataDir = join(work, 'engine');
    const encoder = await remote();
    try {
      const kb = KnowledgeBase.create(dataDir, encoder);
      await kb.importFeeds([await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir, allowDownloads: false })]);
      kb.close();
    } finally {
      await encoder.dispose();
    }
    const keyFile = join(work, 'cle-serveur.txt');
    await writeFile(keyFile, KEY);
    const embeddingRequests = () => standIn.received.filter((request) => request.path === '/v1/embeddings').length;
    const search = async (policy: Partial<Settings>) => {
      const settings = { ...defaultSettings(), 'runtime.threads': 1, 'embedder.path': 'remote:minilm', 'runtime.remote.url': standIn.url, 'remote.apiKeyFile': keyFile, ...policy };
      const engine = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings } }) });
      try {
        return await engine.call('search', { query: 'créer une association', k: 5 });
      } finally {
        await engine.dispose();
      }
    };
    let before = embeddingRequests();
    const allowed = await search({ 'remote.allowed': true, 'remote.allowedHosts': [standIn.host] });
    expect(allowed.mode).toBe('hybrid');
    expect(embeddingRequests()).toBeGreaterThan(before);
    for (const policy of [{ 'remote.allowed': false }, { 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr'] }]) {
      before = embeddingRequests();
      const refused = await search(policy);
      expect(refused.mode).toBe('fulltext');
      expect(refused.hits.map((hit) => hit.ficheId)).toContain('F3109');
      expect(embeddingRequests()).toBe(before);
    }
  });
});
