import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

/** One index handle per knowledge base, and an import that never closes the index under a running read. */
const ASSO_ZIP = sharedFile(DILA_FEEDS.associations);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-handles-'));
});

afterAll(async () => {
  vi.restoreAllMocks();
  await rm(work, { recursive: true, force: true });
});

describe('knowledge base handles', () => {
  it('parallel first reads open the index once', async () => {
    const dataDir = join(work, 'parallel');
    const builder = KnowledgeBase.create(dataDir);
    await builder.importFeeds([await loadFeed(ASSO_ZIP, { dataDir, allowDownloads: false })]);
    builder.close();
    const opened = vi.spyOn(SearchIndex, 'open');
    const kb = KnowledgeBase.create(dataDir);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? kb.info() : kb.search({ query: 'créer une association', k: 3 }))));
    expect(opened).toHaveBeenCalledTimes(1);
    expect(results.every((result) => result !== undefined)).toBe(true);
    opened.mockRestore();
    kb.close();
  });

  it('reads running while an import swaps the index all complete, on the generation they started on', async () => {
    const dataDir = join(work, 'swap');
    const kb = KnowledgeBase.create(dataDir);
    const feed = await loadFeed(ASSO_ZIP, { dataDir, allowDownloads: false });
    await kb.importFeeds([feed]);
    const reads = Array.from({ length: 30 }, () => kb.search({ query: 'subvention association', k: 5 }));
    const importing = kb.importFeeds([{ ...feed, fiches: feed.fiches.slice(0, Math.floor(feed.fiches.length / 2)) }]);
    const settled = await Promise.allSettled([...reads, importing]);
    expect(settled.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect((await kb.search({ query: 'subvention association', k: 5 })).hits.length).toBeGreaterThan(0);
    kb.close();
  });
});
