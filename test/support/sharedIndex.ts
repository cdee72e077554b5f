import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { DILA_FEEDS, sharedFile } from './sharedData.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A data dir holding the full index of the three real DILA feeds, built once through the real import pipeline and
 * reused by every test file of the run (and the next runs, while the corpus code and feeds are unchanged).
 * Tests must not modify it: copy it, or build their own, to test imports.
 */
export async function sharedFullIndex(): Promise<string> {
  const dataDir = join(tmpdir(), `guichet-test-index-${fingerprint()}`);
  if (existsSync(join(dataDir, 'index', 'CURRENT'))) {
    await markUsed(dataDir);
    return dataDir;
  }
  await removeStaleIndexes(dataDir);
  const building = `${dataDir}.${process.pid}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const kb = KnowledgeBase.create(building);
  try {
    for (const file of Object.values(DILA_FEEDS)) {
      await kb.importFeeds([await loadFeed(sharedFile(file), { dataDir: building, allowDownloads: false })]);
    }
  } finally {
    kb.close();
  }
  await rename(building, dataDir).catch(async () => rm(building, { recursive: true, force: true }));
  await markUsed(dataDir);
  return dataDir;
}

/** An index unused for this long is left over by older corpus code; a younger one may be another clone's, in use. */
const STALE_AFTER_MS = 24 * 3600_000;
const LAST_USED = 'last-used';

async function markUsed(dataDir: string): Promise<void> {
  const marker = join(dataDir, LAST_USED);
  const now = new Date();
  await utimes(marker, now, now).catch(() => writeFile(marker, ''));
}

/**
 * Indexes built by older versions of the corpus code would only fill the disk. Another clone on the same machine
 * (another branch, its own corpus code) keeps its own index here at the same time: only indexes nobody used for a
 * day are removed, never one that a concurrent run is reading.
 */
async function removeStaleIndexes(keep: string): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith('guichet-test-index-') || path === keep || name.endsWith('.building')) continue;
    const marker = join(path, LAST_USED);
    const lastUsed = existsSync(marker) ? statSync(marker).mtimeMs : statSync(path).mtimeMs;
    if (Date.now() - lastUsed > STALE_AFTER_MS) await rm(path, { recursive: true, force: true });
  }
}

/** Changes when the corpus or import code or the feeds change, so a stale index is never reused. */
function fingerprint(): string {
  const hash = createHash('sha256');
  for (const folder of ['corpus', 'assistant/knowledge']) {
    for (const file of sourceFiles(join(ROOT, folder))) hash.update(file).update(readFileSync(file));
  }
  for (const feed of Object.values(DILA_FEEDS)) hash.update(String(statSync(sharedFile(feed)).size));
  return hash.digest('hex').slice(0, 16);
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : [join(folder, entry.name)]))
    .sort();
}
