import { describe, expect, it } from 'vitest';
import { FicheTextIndex } from '../../corpus/search/ficheTextIndex.js';
import type { FicheFields } from '../../corpus/search/ficheFields.js';
import { roughStem } from '../../corpus/search/frenchText.js';

const index = FicheTextIndex.fromTexts([
  { key: 'particuliers:F1', text: "Carte d'identité d'un mineur : première demande" },
  { key: 'particuliers:F2', text: "Renouvellement de la carte d'identité d'un majeur" },
  { key: 'professionnels:F3', text: 'Déclaration de cessation de paiements' },
  { key: 'particuliers:F4', text: 'Papiers perdus : que faire ?' },
]);
const all = () => true;

describe('FicheTextIndex', () => {
  it('ranks fiches by BM25 over their words, whatever the accents and inflections', () => {
    expect(index.search(['carte', 'identite', 'mineur'], 5, all).map((h) => h.key)).toEqual(['particuliers:F1', 'particuliers:F2']);
    expect(index.search(['declarer', 'paiement'], 5, all)[0]?.key).toBe('professionnels:F3');
    expect(index.search(['papier', 'perdu'], 5, all)[0]?.key).toBe('particuliers:F4');
  });

  it('weighs each word as asked: a word at a quarter cannot outrank one at full weight', () => {
    const ranked = (weights: number[]) => index.search(['mineur', 'paiement'], 5, all, weights).map((hit) => hit.key);
    expect(ranked([1, 0.25])[0]).toBe('particuliers:F1');
    expect(ranked([0.25, 1])[0]).toBe('professionnels:F3');
    expect(index.search(['mineur'], 5, all, [0.5])[0]?.score).toBeCloseTo((index.search(['mineur'], 5, all)[0]?.score ?? 0) / 2);
  });

  it('applies the filter, and finds nothing for no words', () => {
    expect(index.search(['carte'], 5, (key) => key !== 'particuliers:F1').map((h) => h.key)).toEqual(['particuliers:F2']);
    expect(index.search([], 5, all)).toEqual([]);
  });
});

describe('roughStem', () => {
  it('brings inflections together without eating short words', () => {
    expect(roughStem('papiers')).toBe(roughStem('papier'));
    expect(roughStem('declarer')).toBe(roughStem('declaration'));
    expect(roughStem('renouveler')).toBe(roughStem('renouvellement'));
    expect(roughStem('identites')).toBe(roughStem('identite'));
    expect(roughStem('parent')).toBe('parent');
    expect(roughStem('cni')).toBe('cni');
  });
});

describe('FicheTextIndex over fields (BM25F)', () => {
  const fiche = (id: string, fields: Partial<FicheFields>): FicheFields => ({
    key: `particuliers:${id}`, title: '', trail: '', headings: '', summary: '', inbound: '', asked: '', body: '', inlinks: 0, ...fields,
  });
  const fields = FicheTextIndex.fromFields([
    fiche('F1', { title: 'RSA demandeur de 25 ans et plus', trail: 'Revenu de solidarité active', headings: "Conditions d'attribution", inlinks: 12 }),
    fiche('F2', { title: "RSA à l'étranger", summary: 'revenu de solidarité active versé hors de France', inlinks: 1 }),
    fiche('F3', { title: 'Allocation de soutien familial', inbound: 'pension alimentaire impayée' }),
    fiche('F6', { title: 'Mise en fourrière d’un véhicule', asked: 'ma voiture a été enlevée\nla police a emmené ma bagnole' }),
  ]);

  it('finds a fiche by the words of its dossier, its headings or the links of other fiches', () => {
    expect(fields.search(['revenu', 'solidarite', 'conditions'], 5, all)[0]?.key).toBe('particuliers:F1');
    expect(fields.search(['pension', 'alimentaire'], 5, all)[0]?.key).toBe('particuliers:F3');
  });

  it('finds a fiche by the words people use to ask for it (its phrasings)', () => {
    expect(fields.search(['voiture', 'enlevee'], 5, all).map((h) => h.key)).toEqual(['particuliers:F6']);
  });

  it('weighs the title above the summary', () => {
    expect(fields.search(['etranger'], 5, all).map((h) => h.key)).toEqual(['particuliers:F2']);
    const summaryOnly = FicheTextIndex.fromFields([fiche('F4', { summary: 'étranger' }), fiche('F5', { title: 'étranger' })]);
    expect(summaryOnly.search(['etranger'], 5, all)[0]?.key).toBe('particuliers:F5');
  });

  it('keeps the in-links through storage, and refuses a stored form it did not write', () => {
    const stored = FicheTextIndex.fromStored(JSON.parse(JSON.stringify(fields.toStored())));
    expect(stored?.inlinks('particuliers:F1')).toBe(12);
    expect(stored?.maxInlinks).toBe(12);
    expect(stored?.search(['pension'], 5, all)[0]?.key).toBe('particuliers:F3');
    expect(FicheTextIndex.fromStored({ version: 2, keys: [], inlinks: [], postings: {} })).toBeUndefined();
  });
});
