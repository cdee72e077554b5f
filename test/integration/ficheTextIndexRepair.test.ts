import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { FICHE_MENTIONS_FILE, FICHE_TEXT_INDEX_FILE, PASSAGE_STORE_FILE, PASSAGE_TEXT_INDEX_FILE } from '../../corpus/index/indexTables.js';
import { PassageStore } from '../../corpus/index/passageStore.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

/** The full-text indexes stored beside the tables are caches: missing or damaged, they are rebuilt from them and search goes on. */
const QUERY = 'créer une association';
let work: string;
let dataDir: string;
let stored: string;
let mentions: string;
let passages: string;
let shown: string;
let expected: string[];
let expectedPassages: string[][];

async function searchWith(log: string[]): Promise<string[]> {
  return (await searchPassagesWith(log)).map((hit) => hit.ficheId);
}

/** The fiches found, each with its shown passages (id and text). */
async function searchPassagesWith(log: string[]): Promise<{ ficheId: string; passages: string[] }[]> {
  const kb = KnowledgeBase.create(dataDir, undefined, (line) => log.push(line));
  try {
    const { hits } = await kb.search({ query: QUERY, k: 5 });
    return hits.map((hit) => ({ ficheId: hit.ficheId, passages: hit.passages.map((p) => `${p.chunkId} ${p.text}`) }));
  } finally {
    kb.close();
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-fiche-text-'));
  dataDir = join(work, 'data');
  const kb = KnowledgeBase.create(dataDir);
  await kb.importFeeds([await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir, allowDownloads: false })]);
  kb.close();
  const generation = await new IndexLayout(dataDir).currentGeneration();
  if (!generation) throw new Error('no generation');
  stored = join(generation, FICHE_TEXT_INDEX_FILE);
  mentions = join(generation, FICHE_MENTIONS_FILE);
  passages = join(generation, PASSAGE_TEXT_INDEX_FILE);
  shown = join(generation, PASSAGE_STORE_FILE);
  const log: string[] = [];
  const found = await searchPassagesWith(log);
  expected = found.map((hit) => hit.ficheId);
  expectedPassages = found.map((hit) => hit.passages);
  expect(log).toEqual([]);
  expect(expected.length).toBeGreaterThan(0);
  expect(expectedPassages.flat().length).toBeGreaterThan(0);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('damaged fiche-text-index.json', () => {
  it('truncated: the index opens, search gives the same fiches, the cause is logged', async () => {
    const whole = await readFile(stored, 'utf8');
    await writeFile(stored, whole.slice(0, Math.floor(whole.length / 2)));
    const log: string[] = [];
    expect(await searchWith(log)).toEqual(expected);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(FICHE_TEXT_INDEX_FILE);
    expect(log[0]).toMatch(/reconstruit depuis les tables : .*JSON/);
    await writeFile(stored, whole);
  });

  it('valid JSON of the wrong shape, or written before the phrasings (version 2): rebuilt the same way', async () => {
    const whole = await readFile(stored, 'utf8');
    const older = whole.replace('"version":3', '"version":2');
    for (const damaged of [older, '{"version":1,"keys":[],"lengths":[],"postings":null}', '{"version":99}', 'null']) {
      await writeFile(stored, damaged);
      const log: string[] = [];
      expect(await searchWith(log)).toEqual(expected);
      expect(log).toHaveLength(1);
      expect(log[0]).toContain('reconstruit depuis les tables');
    }
    await writeFile(stored, whole);
  });
});

describe('damaged or missing fiche-mentions.json', () => {
  it('damaged: rebuilt from the tables, same fiches, the cause logged', async () => {
    const whole = await readFile(mentions, 'utf8');
    for (const damaged of [whole.slice(0, Math.floor(whole.length / 2)), '{"version":1,"keys":[],"mentions":{"x":[1]}}']) {
      await writeFile(mentions, damaged);
      const log: string[] = [];
      expect(await searchWith(log)).toEqual(expected);
      expect(log).toHaveLength(1);
      expect(log[0]).toContain(FICHE_MENTIONS_FILE);
      expect(log[0]).toContain('reconstruit depuis les tables');
    }
    await writeFile(mentions, whole);
  });

  it('missing (a generation written before it existed): rebuilt silently, same fiches, and stored again as the import wrote it', async () => {
    const whole = await readFile(mentions, 'utf8');
    await rm(mentions);
    const log: string[] = [];
    expect(await searchWith(log)).toEqual(expected);
    expect(log).toEqual([]);
    expect(await readFile(mentions, 'utf8')).toBe(whole);
  });

  it('rebuilt but impossible to store (a read-only index): the search goes on, the cause logged, nothing left beside', async () => {
    const whole = await readFile(mentions, 'utf8');
    await rm(mentions);
    await mkdir(mentions); // renaming a file over a directory fails, as writing to a read-only disk would
    const log: string[] = [];
    expect(await searchWith(log)).toEqual(expected);
    expect(log).toHaveLength(1);
    expect(log[0]).toContain('non enregistré');
    expect((await readdir(dirname(mentions))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await rm(mentions, { recursive: true });
    await writeFile(mentions, whole);
  });
});

describe('damaged or missing passage-text-index.bin', () => {
  it('damaged: rebuilt from the chunks table, same fiches and passages, the cause logged', async () => {
    const whole = await readFile(passages);
    const flipped = Buffer.from(whole);
    flipped.writeUInt32LE(0xffffffff, 4); // header length beyond the file
    for (const damaged of [whole.subarray(0, Math.floor(whole.length / 2)), flipped, Buffer.from('{"version":1}')]) {
      await writeFile(passages, damaged);
      const log: string[] = [];
      expect((await searchPassagesWith(log)).map((hit) => hit.passages)).toEqual(expectedPassages);
      expect(log).toHaveLength(1);
      expect(log[0]).toContain(PASSAGE_TEXT_INDEX_FILE);
      expect(log[0]).toContain('index des passages reconstruit depuis les tables');
    }
    await writeFile(passages, whole);
  });

  it('missing (a generation written before it existed): rebuilt silently, same fiches and passages', async () => {
    const whole = await readFile(passages);
    await rm(passages);
    const log: string[] = [];
    const found = await searchPassagesWith(log);
    expect(found.map((hit) => hit.ficheId)).toEqual(expected);
    expect(found.map((hit) => hit.passages)).toEqual(expectedPassages);
    expect(log).toEqual([]);
    await writeFile(passages, whole);
  });

  it('reads back each asked passage with its own text (by row offset), and unknown ids not at all', async () => {
    const index = await SearchIndex.open(new IndexLayout(dataDir), { log: () => {} });
    try {
      const hits = await index.fullTextChunks(['association', 'statuts', 'assemblée'].map((word) => ({ word, weight: 1 })), 12);
      const ids = hits.map((hit) => hit.id);
      const read = await index.chunksById([...ids, 'associations:F0000#9']);
      expect(read.map((chunk) => chunk.id).sort()).toEqual([...ids].sort());
      const whole = await index.chunksOf([...new Set(hits.map((hit) => hit.ficheKey))]);
      const texts = new Map(whole.map((chunk) => [chunk.id, chunk.text]));
      for (const chunk of read) expect(chunk.text).toBe(texts.get(chunk.id));
    } finally {
      index.close();
    }
  });
});

describe('damaged, missing or mismatched passages.bin (the shown text)', () => {
  /** Every passage of these fiche variants as the search index gives them back (id, key, section path, text), in order. */
  async function passagesOf(keys?: string[]): Promise<string[]> {
    const index = await SearchIndex.open(new IndexLayout(dataDir), { log: () => {} });
    try {
      const chunks = await index.chunksOf(keys ?? expected.map((id) => index.keyOf(id, 'associations') ?? ''));
      return chunks.map((chunk) => JSON.stringify([chunk.id, chunk.ficheKey, chunk.sectionPath, chunk.text]));
    } finally {
      index.close();
    }
  }

  it('missing: read from the chunks table, the same passages in the same order, nothing logged', async () => {
    const fromStore = await passagesOf();
    expect(fromStore.length).toBeGreaterThan(expected.length);
    const whole = await readFile(shown);
    await rm(shown);
    expect(await passagesOf()).toEqual(fromStore);
    const log: string[] = [];
    expect((await searchPassagesWith(log)).map((hit) => hit.passages)).toEqual(expectedPassages);
    expect(log).toEqual([]);
    await writeFile(shown, whole);
  });

  it('damaged or from another import: read from the table, same passages, the cause logged', async () => {
    const whole = await readFile(shown);
    const other = PassageStore.toStored([{ id: 'associations:F1#0', ordinal: 0, sectionPath: '[]', text: 'autre import' }]);
    for (const damaged of [whole.subarray(0, whole.length - 10), Buffer.from(other)]) {
      await writeFile(shown, damaged);
      const log: string[] = [];
      expect((await searchPassagesWith(log)).map((hit) => hit.passages)).toEqual(expectedPassages);
      expect(log).toHaveLength(1);
      expect(log[0]).toContain(PASSAGE_STORE_FILE);
    }
    await writeFile(shown, whole);
  });

  it('records that do not carry the ids the passage index expects (same count, two swapped): read from the table', async () => {
    const whole = await readFile(shown);
    const count = whole.readUInt32LE(8);
    const records = (await (await PassageStore.open(shown, count, () => {}))?.read([...Array(count).keys()])) ?? [];
    expect(records).toHaveLength(count);
    const [first, second] = records;
    if (!first || !second) throw new Error('fewer than two passages');
    const keys = [...new Set([first.id, second.id].map((id) => id.slice(0, id.indexOf('#'))))];
    const before = await passagesOf(keys);
    const swapped = [second, first, ...records.slice(2)].map((record) => ({ ...record, sectionPath: JSON.stringify(record.sectionPath) }));
    await writeFile(shown, PassageStore.toStored(swapped));
    expect(await passagesOf(keys)).toEqual(before);
    const index = await SearchIndex.open(new IndexLayout(dataDir), { log: () => {} });
    try {
      expect((await index.chunksById([first.id])).map((chunk) => chunk.text)).toEqual([first.text]);
    } finally {
      index.close();
    }
    await writeFile(shown, whole);
  });
});
