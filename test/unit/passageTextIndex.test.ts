import { describe, expect, it } from 'vitest';
import { PassageTextIndex, type PassageText } from '../../corpus/search/passageTextIndex.js';

const passage = (key: string, ordinal: number, text: string): PassageText => ({ id: `${key}#${ordinal}`, ficheKey: key, text });

const passages = [
  passage('particuliers:F1', 0, 'Pension de réversion\nSi votre époux est décédé, vous pouvez toucher une partie de sa retraite.'),
  passage('particuliers:F1', 1, 'Pension de réversion\nConditions de ressources'),
  passage('particuliers:F2', 0, 'Montant de la retraite\nLa retraite est calculée sur les 25 meilleures années de salaire.'),
  passage('professionnels:F2', 0, 'Montant de la retraite\nLa retraite du travailleur indépendant.'),
  passage('particuliers:F3', 0, 'Carte nationale d’identité\nDéclarer la perte de sa carte.'),
  passage('professionnels:F4', 0, 'Micro-entrepreneur\nLe régime du micro-entrepreneur.'),
  ...Array.from({ length: 6 }, (_, n) => passage(`particuliers:G${n}`, 0, `Fiche ${n}\nLe salarié et sa retraite, ses droits.`)),
];
const index = PassageTextIndex.fromPassages(passages);
const all = () => true;

describe('PassageTextIndex', () => {
  it('ranks by BM25: rare words weigh most, inflections meet by rough stems, nothing for unknown words', () => {
    const hits = index.search(['décès', 'époux', 'retraites'], 5, all);
    expect(hits[0]?.id).toBe('particuliers:F1#0');
    expect(hits.map((hit) => hit.ficheKey)).toContain('particuliers:F2');
    expect(hits.every((hit, at) => at === 0 || hit.score <= (hits[at - 1]?.score ?? Infinity))).toBe(true);
    expect(index.search(['déclaration', 'cartes'], 5, all).map((hit) => hit.id)).toEqual(['particuliers:F3#0']);
    // Stems are not cut to 7 letters: « entreprise » is not « entrepreneur ».
    expect(index.search(['entreprise'], 5, all)).toEqual([]);
    expect(index.search(['entrepreneurs'], 5, all).map((hit) => hit.id)).toEqual(['professionnels:F4#0']);
    expect(index.search(['zzzinconnu', 'de', 'la'], 5, all)).toEqual([]);
  });

  it('a shorter passage with the word ranks first (length normalisation), and the limit holds', () => {
    const hits = index.search(['retraite'], 3, all);
    expect(hits).toHaveLength(3);
    // Same two « retraite », the independent worker's passage is shorter than the salaried one's.
    expect(hits[0]?.id).toBe('professionnels:F2#0');
  });

  it('weighs each word as asked (1 when no weight is given)', () => {
    const top = (weights: number[]) => index.search(['réversion', 'micro'], 5, all, weights)[0]?.ficheKey;
    expect(top([1, 0.2])).toBe('particuliers:F1');
    expect(top([0.2, 1])).toBe('professionnels:F4');
    const [full] = index.search(['époux'], 5, all);
    expect(index.search(['époux'], 5, all, [0.5])[0]?.score).toBeCloseTo((full?.score ?? 0) / 2);
  });

  it('asks the filter once per fiche and leaves out the fiches it refuses', () => {
    const asked: string[] = [];
    const hits = index.search(['retraite', 'pension'], 20, (key) => {
      asked.push(key);
      return key.startsWith('particuliers:') && key !== 'particuliers:F2';
    });
    expect(new Set(asked).size).toBe(asked.length);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((hit) => hit.ficheKey === 'particuliers:F2' || hit.ficheKey.startsWith('professionnels:'))).toBe(false);
  });

  it('gives back the same results and passage numbers from its stored bytes', () => {
    const stored = PassageTextIndex.fromStored(index.toStored());
    expect(stored).toBeDefined();
    for (const words of [['retraite'], ['carte', 'identité'], ['pension', 'décédé', 'salaire']]) {
      expect(stored?.search(words, 10, all)).toEqual(index.search(words, 10, all));
    }
    expect(stored?.numberOf('particuliers:F3#0')).toBe(4);
    expect(stored?.numberOf('particuliers:F9#0')).toBeUndefined();
    expect(PassageTextIndex.fromStored(PassageTextIndex.fromPassages([]).toStored())?.search(['retraite'], 5, all)).toEqual([]);
  });

  it('refuses stored bytes that are damaged: truncated, another format, inconsistent lists', () => {
    const bytes = index.toStored();
    expect(PassageTextIndex.fromStored(bytes.subarray(0, bytes.length - 2))).toBeUndefined();
    expect(PassageTextIndex.fromStored(bytes.subarray(0, 5))).toBeUndefined();
    expect(PassageTextIndex.fromStored(new TextEncoder().encode('{"version":1}'))).toBeUndefined();
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(PassageTextIndex.fromStored(longer)).toBeUndefined();
    const edited = bytes.slice();
    new DataView(edited.buffer).setUint32(4, 3, true); // header length now cuts the JSON
    expect(() => PassageTextIndex.fromStored(edited)).toThrow();
  });
});
