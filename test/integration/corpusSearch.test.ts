import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

/** Search over the full index of the three real DILA feeds, built by the real import pipeline. */
let kb: KnowledgeBase;

beforeAll(async () => {
  kb = KnowledgeBase.create(await sharedFullIndex());
});

afterAll(() => kb.close());

const topIds = async (query: string, k = 5) => (await kb.search({ query, k })).hits.map((hit) => hit.ficheId);

describe('knowledge base of the real DILA feeds', () => {
  it('describes what it holds: counts per audience and kind, dates, sources', async () => {
    const info = await kb.info();
    expect(info).not.toBeNull();
    const { counts, sources, newestFicheDate } = info!.manifest;
    expect(counts.byAudience.particuliers).toBeGreaterThan(3_000);
    expect(counts.byAudience.professionnels).toBeGreaterThan(700);
    expect(counts.byAudience.associations).toBeGreaterThan(90);
    expect(counts.byKind['question-reponse']).toBeGreaterThan(1_500);
    expect(counts.byKind.dossier).toBeGreaterThan(250);
    expect(counts.searchable).toBeLessThan(counts.fiches);
    expect(counts.chunks).toBeGreaterThan(counts.searchable);
    expect(newestFicheDate).toBe('2020-11-12');
    expect(sources.map((s) => s.audiences[0]).sort()).toEqual(['associations', 'particuliers', 'professionnels']);
    expect(info!.sizeBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(info!.mode).toBe('fulltext');
  });

  it('finds the minor identity card fiche from a question typed at a counter', async () => {
    const result = await kb.search({ query: "Bonjour, une maman veut faire la carte d'identité de son fils de 12 ans", k: 5 });
    // « Faire la carte » does not say whether it is the first one or a renewal: the four fiches of a minor's card come
    // first (renewal, loss, theft, first request), the first request fourth since the fiches' phrasings.
    expect(result.hits.slice(0, 4).map((h) => h.ficheId).sort()).toEqual(['F1153', 'F1342', 'F1794', 'F21090']);
    const hit = result.hits.find((h) => h.ficheId === 'F1342')!;
    expect(hit).toMatchObject({ audience: 'particuliers', url: 'https://www.service-public.fr/particuliers/vosdroits/F1342', date: '2020-07-21' });
    expect(hit.passages.length).toBeGreaterThan(0);
    expect(hit.passages.length).toBeLessThanOrEqual(3);
    expect(result.weak).toBe(false);
  });

  it('expands acronyms, tolerates typos and missing accents', async () => {
    expect((await topIds("montant de l'APL", 3))).toContain('F12006');
    expect(await topIds('alocations familliales', 3)).toContain('F13213');
    expect(await topIds('passeport perdu majeur', 3)).toContain('F21246');
    expect(await topIds('pasport perdu majeur', 3)).toContain('F21246');
    expect(await topIds('creer une association', 3)).toContain('F3109');
  });

  it('returns each fiche once, grouped with its best passages', async () => {
    const result = await kb.search({ query: 'carte grise changement adresse', k: 10 });
    const ids = result.hits.map((h) => h.ficheId);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
    for (const hit of result.hits) for (const passage of hit.passages) expect(passage.text.length).toBeGreaterThan(0);
  });

  it('filters by audience and honours pinned and excluded fiches', async () => {
    const pro = await kb.search({ query: 'créer une entreprise individuelle', k: 5, audiences: ['professionnels'] });
    expect(pro.hits.every((h) => h.audience === 'professionnels')).toBe(true);
    const plain = await topIds("carte d'identité mineur");
    const excluded = await kb.search({ query: "carte d'identité mineur", excluded: [plain[0]!] });
    expect(excluded.hits.map((h) => h.ficheId)).not.toContain(plain[0]);
    const pinned = await kb.search({ query: "carte d'identité mineur", pinned: ['F3109'], k: 3 });
    expect(pinned.hits[0]).toMatchObject({ ficheId: 'F3109', pinned: true });
    expect(pinned.hits).toHaveLength(3);
  });

  it('never returns navigation pages without text', async () => {
    const result = await kb.search({ query: 'CNI mineur première demande recherche guidée', k: 20 });
    expect(result.hits.every((h) => ['information', 'question-reponse', 'comment-faire-si', 'liens-externes', 'fiche-travail'].includes(h.kind))).toBe(true);
  });

  it('flags weak retrieval and refuses an empty question', async () => {
    expect((await kb.search({ query: 'xqzw vlorp brinkle' })).weak).toBe(true);
    await expect(kb.search({ query: '   ' })).rejects.toMatchObject({ code: 'query-invalid' });
  });

  it('treats HTML and a huge paste as plain text', async () => {
    const html = await kb.search({ query: '<script>alert(1)</script> passeport perdu', k: 3 });
    expect(html.hits.length).toBeGreaterThan(0);
    const huge = await kb.search({ query: `passeport perdu ${'blabla '.repeat(30_000)}`, k: 3 });
    expect(huge.hits.length).toBeGreaterThan(0);
  });

  it('reads a whole fiche back from the index', async () => {
    const fiche = await kb.getFiche('F1342');
    expect(fiche.title).toBe("Carte d'identité d'un mineur : première demande");
    expect(fiche.relatedQuestions.map((q) => q.ficheId)).toContain('F11601');
    expect(fiche.onlineServices.map((s) => s.id)).toContain('R45668');
    await expect(kb.getFiche('F999999')).rejects.toMatchObject({ code: 'fiche-not-found' });
  });
});
