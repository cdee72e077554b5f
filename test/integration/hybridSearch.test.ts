import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { openPassageEncoder, type DisposablePassageEncoder } from '../../assistant/knowledge/passageEncoderFactory.js';
import { DILA_FEEDS, sharedDir, sharedFile } from '../support/sharedData.js';

/** Vectors from a real transformers.js embedder in a real LanceDB index of the associations feed. */
const EMBEDDER = sharedDir('models/embedder-synthetic-minilm');
const GUICHET = join(import.meta.dirname, '../../scripts/bin/guichet.js');
let work: string;
let encoder: DisposablePassageEncoder;
let embedded = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-hybrid-'));
  const real = await openPassageEncoder(EMBEDDER, { threads: 1 });
  // Counts the passages actually embedded, to show that unchanged fiches keep their vectors.
  encoder = {
    id: real.id,
    dimension: real.dimension,
    embedQueries: (texts, options) => real.embedQueries(texts, options),
    embedPassages: async (texts, options) => {
      embedded += texts.length;
      return real.embedPassages(texts, options);
    },
    dispose: () => real.dispose(),
  };
});

afterAll(async () => {
  await encoder.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('hybrid search', () => {
  it('fills the vector column at import and searches by text and vectors', async () => {
    const dataDir = join(work, 'kb');
    embedded = 0;
    const kb = KnowledgeBase.create(dataDir, encoder);
    const feed = await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir, allowDownloads: false });
    const report = await kb.importFeeds([feed]);
    expect(report.manifest.embedder).toEqual({ id: encoder.id, dimension: 384 });
    expect(embedded).toBe(report.manifest.counts.chunks);
    const info = await kb.info();
    expect(info?.mode).toBe('hybrid');
    const result = await kb.search({ query: 'créer une association', k: 5 });
    expect(result.mode).toBe('hybrid');
    expect(result.hits.map((h) => h.ficheId)).toContain('F3109');

    embedded = 0;
    const again = await kb.importFeeds([feed]);
    expect(again.changes.unchanged).toBe(report.manifest.counts.fiches);
    expect(embedded).toBe(0);
    kb.close();

    // Another model's vectors are never mixed with these: without the same embedder, search is full-text.
    const plain = KnowledgeBase.create(dataDir);
    expect((await plain.search({ query: 'créer une association' })).mode).toBe('fulltext');
    plain.close();
  });

  it('`guichet corpus embed` fills an existing index and turns hybrid search on', async () => {
    const dataDir = join(work, 'cli');
    const run = promisify(execFile);
    await run(process.execPath, [GUICHET, '--data-dir', dataDir, 'corpus', 'import', '--from', sharedFile(DILA_FEEDS.associations)]);
    const before = JSON.parse((await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'corpus', 'info'])).stdout);
    expect(before.mode).toBe('fulltext');
    await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'corpus', 'embed', '--embedder', EMBEDDER], { env: { ...process.env, GUICHET_THREADS: '1' } });
    const settings = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(settings['embedder.path']).toBe(EMBEDDER);
    const after = JSON.parse((await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'corpus', 'info'])).stdout);
    expect(after.mode).toBe('hybrid');
    expect(after.manifest.embedder.dimension).toBe(384);
    const hits = JSON.parse((await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'search', 'déclarer une association'])).stdout);
    expect(hits.length).toBeGreaterThan(0);
  });
});

describe('vector index', () => {
  it('builds an HNSW index on large corpora and still finds the nearest passage', async () => {
    const { writeGeneration, VECTOR_INDEX_MIN_ROWS } = await import('../../corpus/index/generationWriter.js');
    const { IndexLayout } = await import('../../corpus/index/indexLayout.js');
    const { SearchIndex } = await import('../../corpus/index/searchIndex.js');
    const lancedb = await import('@lancedb/lancedb');
    const dataDir = join(work, 'hnsw');
    const layout = new IndexLayout(dataDir);
    const generation = await layout.createGeneration();
    const dimension = 16;
    const basis = (i: number) => Array.from({ length: dimension }, (_, d) => Math.sin(i * 0.37 + d * 1.3));
    const chunks = Array.from({ length: VECTOR_INDEX_MIN_ROWS + 10 }, (_, i) => ({
      id: `particuliers:F${i}#0`, fiche_id: `F${i}`, fiche_key: `particuliers:F${i}`, ordinal: 0, source: 'dila' as const, audience: 'particuliers' as const,
      kind: 'information' as const, title: `Fiche ${i}`, section_path: '[]', text: `Texte ${i}.`, search_text: `Fiche ${i} texte`, date: '2020-01-01', token_estimate: 3,
      vector: basis(i),
    }));
    const manifest = {
      formatVersion: 1 as const, builtAt: '', sources: [], newestFicheDate: '2020-01-01',
      counts: { fiches: 0, searchable: 0, chunks: chunks.length, byAudience: {}, byKind: {}, bySource: {} }, embedder: { id: 'test', dimension },
    };
    await writeGeneration(generation, [], chunks, manifest);
    await layout.promote(generation);
    const db = await lancedb.connect(generation);
    const indices = await (await db.openTable('chunks')).listIndices();
    db.close();
    expect(indices.map((index) => index.columns[0])).toContain('vector');
    const index = await SearchIndex.open(layout);
    const nearest = await index.nearestChunks(Float32Array.from(basis(1234)), 5);
    expect(nearest[0]?.id).toBe('particuliers:F1234#0');
    index.close();
  });
});
