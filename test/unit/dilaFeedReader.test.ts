import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusError } from '../../corpus/corpusError.js';
import { importDilaFeeds } from '../../corpus/dila/dilaFeed.js';
import { readFeed, type FeedEntry, type FeedReadOptions } from '../../corpus/dila/feedReader.js';
import { buildZip, writeZip, type ZipFixtureEntry } from '../support/dilaZip.js';
import { publicationXml, resourceXml } from '../support/dilaXml.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-dila-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FEED: ZipFixtureEntry[] = [
  { name: 'F1.xml', content: publicationXml({ id: 'F1', title: 'Première fiche', body: '<Texte><Paragraphe>Été.</Paragraphe></Texte>' }) },
  { name: 'N2.xml', content: publicationXml({ id: 'N2', type: 'Dossier', title: 'Dossier' }), store: true },
  { name: 'R3.xml', content: resourceXml({ id: 'R3' }) },
  { name: 'Schemas/3.3/Publication.xsd', content: '<xs:schema/>' },
  { name: 'arborescence.xml', content: '<Arborescence/>' },
  { name: 'images/', content: '' },
];

async function collect(path: string, options?: FeedReadOptions): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  for await (const entry of readFeed(path, options)) entries.push(entry);
  return entries;
}

async function failure(path: string, options?: FeedReadOptions): Promise<CorpusError> {
  try {
    await collect(path, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CorpusError);
    return error as CorpusError;
  }
  throw new Error(`la lecture de ${path} aurait dû échouer`);
}

describe('readFeed', () => {
  it('reads the publication files of a zip, in order, decoded, and reports progress', async () => {
    const path = join(dir, 'feed.zip');
    await writeZip(path, FEED);
    const progress: [number, number][] = [];
    const entries = await collect(path, { onProgress: (done, total) => progress.push([done, total]) });
    expect(entries.map((e) => e.name)).toEqual(['F1.xml', 'N2.xml', 'R3.xml']);
    expect(entries[0]?.xml).toContain('<Paragraphe>Été.</Paragraphe>');
    expect(progress).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
  });

  it('reads a folder of XML files, by name', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder);
    await writeFile(join(folder, 'R3.xml'), resourceXml({ id: 'R3' }));
    await writeFile(join(folder, 'F1.xml'), `\ufeff${publicationXml({ id: 'F1' })}`);
    await writeFile(join(folder, 'notes.txt'), 'rien');
    const entries = await collect(folder);
    expect(entries.map((e) => e.name)).toEqual(['F1.xml', 'R3.xml']);
    expect(entries[0]?.xml.startsWith('<?xml')).toBe(true);
  });

  it('fails with feed-not-found for a missing path', async () => {
    const error = await failure(join(dir, 'absent.zip'));
    expect(error.code).toBe('feed-not-found');
    expect(error.message).toContain('absent.zip');
  });

  it('fails with feed-not-zip for a file that is not a zip', async () => {
    const path = join(dir, 'page.zip');
    await writeFile(path, '<html>Erreur 404</html>');
    const error = await failure(path);
    expect(error.code).toBe('feed-not-zip');
    expect(error.message).toContain('page.zip');
  });

  it('fails with feed-truncated for a zip cut half-way', async () => {
    const path = join(dir, 'half.zip');
    const bytes = buildZip(FEED);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await failure(path);
    expect(error.code).toBe('feed-truncated');
    expect(error.message).toContain('half.zip');
  });

  it('fails with feed-truncated when an entry does not match its CRC-32', async () => {
    const path = join(dir, 'crc.zip');
    await writeZip(path, [FEED[0] as ZipFixtureEntry, { name: 'F5.xml', content: publicationXml({ id: 'F5' }), badCrc: true }]);
    const error = await failure(path);
    expect(error.code).toBe('feed-truncated');
    expect(error.message).toContain('F5.xml');
  });

  it('fails with feed-empty for an empty folder, an empty zip, or a zip without fiche', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    expect((await failure(empty)).code).toBe('feed-empty');
    const emptyZip = join(dir, 'empty.zip');
    await writeZip(emptyZip, []);
    expect((await failure(emptyZip)).code).toBe('feed-empty');
    const onlyResources = join(dir, 'resources.zip');
    await writeZip(onlyResources, [{ name: 'R3.xml', content: resourceXml() }, { name: 'lisezmoi.txt', content: 'x' }]);
    const error = await failure(onlyResources);
    expect(error.code).toBe('feed-empty');
    expect(error.message).toContain('resources.zip');
  });

  it('stops between two files when the signal is aborted', async () => {
    const path = join(dir, 'abort.zip');
    await writeZip(path, FEED);
    const controller = new AbortController();
    const seen: string[] = [];
    let caught: unknown;
    try {
      for await (const entry of readFeed(path, { signal: controller.signal })) {
        seen.push(entry.name);
        controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    expect(seen).toEqual(['F1.xml']);
    expect(caught).toBeInstanceOf(CorpusError);
    expect((caught as CorpusError).code).toBe('import-cancelled');
  });
});

describe('importDilaFeeds', () => {
  it('counts the files it could not read and goes on', async () => {
    const path = join(dir, 'mixed.zip');
    await writeZip(path, [
      ...FEED,
      { name: 'F6.xml', content: publicationXml({ id: 'F6' }).replace('</dc:title>', '') },
      { name: 'F7.xml', content: publicationXml({ id: 'F7', schema: '9.0' }) },
    ]);
    const progress: number[] = [];
    const result = await importDilaFeeds([{ path }], { onProgress: (p) => progress.push(p.done) });
    expect(result.filesRead).toBe(5);
    expect(result.fiches.map((f) => f.id)).toEqual(['F1', 'N2']);
    expect(result.onlineServices.map((s) => s.id)).toEqual(['R3']);
    expect(result.failures.map((e) => [e.code, e.file])).toEqual([
      ['xml-invalid', 'F6.xml'],
      ['schema-unsupported', 'F7.xml'],
    ]);
    expect(progress.at(-1)).toBe(5);
  });
});
