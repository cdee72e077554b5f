import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';
import { ENGINE_TIMEOUT_MS } from '../support/timeouts.js';

/** Imports of the real associations feed (small): atomic swap, incremental re-import, bad input. */
const ASSO_ZIP = sharedFile(DILA_FEEDS.associations);
const GUICHET = join(import.meta.dirname, '../../scripts/bin/guichet.js');
let work: string;
let assoFolder: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-import-'));
  assoFolder = join(work, 'asso-xml');
  await unzipTo(ASSO_ZIP, assoFolder);
});

afterAll(async () => rm(work, { recursive: true, force: true }));

async function freshBase(name: string): Promise<{ dataDir: string; kb: KnowledgeBase }> {
  const dataDir = join(work, name);
  const kb = KnowledgeBase.create(dataDir);
  await kb.importFeeds([await loadFeed(ASSO_ZIP, { dataDir, allowDownloads: false })]);
  return { dataDir, kb };
}

describe('corpus import', () => {
  it('re-imports a newer feed by updating only what changed', async () => {
    const { dataDir, kb } = await freshBase('incremental');
    const before = (await kb.info())!.manifest.counts.fiches;
    const newer = join(work, 'asso-newer');
    await cp(assoFolder, newer, { recursive: true });
    const f1119 = join(newer, 'F1119.xml');
    await writeFile(f1119, (await readFile(f1119, 'utf8')).replace('Déclaration initiale', 'Déclaration initiale (mise à jour)'));
    await rm(join(newer, 'F3109.xml'));
    const report = await kb.importFeeds([await loadFeed(newer, { dataDir, allowDownloads: false })]);
    expect(report.changes).toMatchObject({ added: 0, changed: 1, removed: 1, unchanged: before - 2, failures: [] });
    expect((await kb.getFiche('F1119')).title).toContain('(mise à jour)');
    await expect(kb.getFiche('F3109')).rejects.toMatchObject({ code: 'fiche-not-found' });
    kb.close();
  });

  it('keeps the indexed version of a fiche whose file is broken, and imports the rest', async () => {
    const { dataDir, kb } = await freshBase('broken-file');
    const broken = join(work, 'asso-broken');
    await cp(assoFolder, broken, { recursive: true });
    await writeFile(join(broken, 'F1119.xml'), '<Publication ID="F1119"><dc:title>Coupé');
    const feed = await loadFeed(broken, { dataDir, allowDownloads: false });
    expect(feed.failures).toEqual([expect.objectContaining({ file: expect.stringContaining('F1119.xml') })]);
    const report = await kb.importFeeds([feed]);
    expect(report.changes.removed).toBe(0);
    expect((await kb.getFiche('F1119')).title).toContain('Déclaration initiale');
    kb.close();
  });

  it('leaves the previous index intact when a feed is truncated, not a zip, or empty', async () => {
    const { dataDir, kb } = await freshBase('bad-feeds');
    const current = await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8');
    const half = join(work, 'half.zip');
    await cp(ASSO_ZIP, half);
    await truncate(half, Math.floor((await stat(half)).size / 2));
    const notZip = join(work, 'not-a-zip.zip');
    await writeFile(notZip, 'bonjour');
    const empty = join(work, 'empty');
    await cp(assoFolder, empty, { recursive: true, filter: (src) => !src.endsWith('.xml') });
    const attempts = [
      [half, 'feed-truncated'],
      [notZip, 'feed-not-zip'],
      [empty, 'feed-empty'],
      [join(work, 'absent.zip'), 'feed-not-found'],
    ] as const;
    for (const [path, code] of attempts) {
      const error = await loadFeed(path, { dataDir, allowDownloads: false }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code, message: expect.stringContaining(path.split('/').pop()!) });
    }
    expect(await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8')).toBe(current);
    expect((await kb.search({ query: 'créer une association' })).hits.length).toBeGreaterThan(0);
    kb.close();
  });

  it('refuses in French an index whose manifest is damaged or from a newer Guichet; a re-import rebuilds it', async () => {
    const { dataDir, kb } = await freshBase('manifest');
    kb.close();
    const manifest = join(dataDir, 'index', (await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8')).trim(), 'manifest.json');
    const written = JSON.parse(await readFile(manifest, 'utf8')) as { formatVersion: number };
    const refusal = async () => {
      const fresh = KnowledgeBase.create(dataDir);
      try {
        return await fresh.search({ query: 'créer une association' }).catch((e: unknown) => e);
      } finally {
        fresh.close();
      }
    };
    await writeFile(manifest, JSON.stringify({ ...written, formatVersion: 2 }));
    expect(await refusal()).toMatchObject({ name: 'CorpusError', code: 'index-too-new', message: expect.stringContaining('version plus récente de Guichet (format 2') });
    await writeFile(manifest, '{"formatVersion": 1, "sources": "abîmé"');
    expect(await refusal()).toMatchObject({ name: 'CorpusError', code: 'index-damaged', message: expect.stringContaining('réimportez les fiches') });
    const rebuilt = KnowledgeBase.create(dataDir);
    try {
      const report = await rebuilt.importFeeds([await loadFeed(ASSO_ZIP, { dataDir, allowDownloads: false })]);
      expect(report.manifest.formatVersion).toBe(1);
      expect(report.manifest.lastImport?.added).toBe(report.manifest.counts.fiches);
      expect((await rebuilt.search({ query: 'créer une association' })).hits.length).toBeGreaterThan(0);
    } finally {
      rebuilt.close();
    }
  });

  it('says so in French when the data dir cannot be written', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, '');
    const kb = KnowledgeBase.create(join(file, 'data'));
    const feed = await loadFeed(ASSO_ZIP, { dataDir: work, allowDownloads: false });
    await expect(kb.importFeeds([feed])).rejects.toMatchObject({ code: 'data-dir-unwritable', message: expect.stringMatching(/écriture|lecture seule/) });
  });

  it('keeps the old index answering when an import is killed half-way, and cleans up after', async () => {
    const { dataDir, kb } = await freshBase('killed');
    const current = await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8');
    const child = spawn(process.execPath, [GUICHET, '--data-dir', dataDir, 'corpus', 'import', '--from', sharedFile(DILA_FEEDS.professionnels)], {
      stdio: 'ignore',
    });
    // Killed once the new generation is being written beside the current one. The import runs in the engine process,
    // which holds the lock: kill it, as a crash or a power cut would.
    await vi.waitFor(() => expect(readdirSync(join(dataDir, 'index')).filter((n) => n.startsWith('gen-')).length).toBeGreaterThan(1), { timeout: ENGINE_TIMEOUT_MS / 2, interval: 20 });
    const importer = Number(readFileSync(join(dataDir, 'index', 'import.lock'), 'utf8'));
    expect(importer).not.toBe(child.pid);
    process.kill(importer, 'SIGKILL');
    await new Promise((done) => child.once('exit', done));
    expect(await readFile(join(dataDir, 'index', 'CURRENT'), 'utf8')).toBe(current);
    expect((await kb.search({ query: 'créer une association' })).hits[0]?.audience).toBe('associations');
    // The next import takes over the dead process' lock and removes its half-built generation.
    await kb.importFeeds([await loadFeed(assoFolder, { dataDir, allowDownloads: false })]);
    expect((await readdir(join(dataDir, 'index'))).filter((n) => n.startsWith('gen-'))).toHaveLength(1);
    expect(existsSync(join(dataDir, 'index', 'import.lock'))).toBe(false);
    kb.close();
  });
});

async function unzipTo(zip: string, folder: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  await new Promise<void>((done, fail) => {
    yauzl.open(zip, { lazyEntries: true }, (error, archive) => {
      if (error || !archive) return fail(error);
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return fail(streamError);
          const parts: Buffer[] = [];
          stream.on('data', (part: Buffer) => parts.push(part));
          stream.on('end', () => {
            void writeFile(join(folder, entry.fileName), Buffer.concat(parts)).then(() => archive.readEntry(), fail);
          });
        });
      });
      archive.on('end', done);
      archive.on('error', fail);
      archive.readEntry();
    });
  });
}
