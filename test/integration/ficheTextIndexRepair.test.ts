import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { FICHE_MENTIONS_FILE, FICHE_TEXT_INDEX_FILE } from '../../corpus/index/indexTables.js';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

/** The fiche-level indexes stored beside the tables are caches: damaged, they are rebuilt from them and search goes on. */
const QUERY = 'créer une association';
let work: string;
let dataDir: string;
let stored: string;
let mentions: string;
let expected: string[];

async function searchWith(log: string[]): Promise<string[]> {
  const kb = KnowledgeBase.create(dataDir, undefined, (line) => log.push(line));
  try {
    return (await kb.search({ query: QUERY, k: 5 })).hits.map((hit) => hit.ficheId);
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
  const log: string[] = [];
  expected = await searchWith(log);
  expect(log).toEqual([]);
  expect(expected.length).toBeGreaterThan(0);
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

  it('valid JSON of the wrong shape: rebuilt the same way', async () => {
    const whole = await readFile(stored, 'utf8');
    for (const damaged of ['{"version":1,"keys":[],"lengths":[],"postings":null}', '{"version":99}', 'null']) {
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

  it('missing (a generation written before it existed): rebuilt silently, same fiches', async () => {
    const whole = await readFile(mentions, 'utf8');
    await rm(mentions);
    const log: string[] = [];
    expect(await searchWith(log)).toEqual(expected);
    expect(log).toEqual([]);
    await writeFile(mentions, whole);
  });
});
