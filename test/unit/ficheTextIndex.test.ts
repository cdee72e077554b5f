import { describe, expect, it } from 'vitest';
import { FicheTextIndex } from '../../corpus/search/ficheTextIndex.js';
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

  it('requires every word when asked, and applies the filter', () => {
    expect(index.search(['carte', 'mineur'], 5, all, true).map((h) => h.key)).toEqual(['particuliers:F1']);
    expect(index.search(['carte', 'inconnu'], 5, all, true)).toEqual([]);
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
