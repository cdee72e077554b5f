import { describe, expect, it } from 'vitest';
import { chunkFiche, estimateTokens, splitSentences, TOKENS_PER_WORD } from '../../corpus/chunker.js';
import type { FicheSection } from '../../corpus/fiche.js';

/** A French sentence of `words` words, ending with a period. */
function sentence(words: number, seed = 'mot'): string {
  return `Le ${Array.from({ length: words - 2 }, (_, i) => `${seed}${i}`).join(' ')} fin.`;
}

/** A fiche for the chunker; no description unless a test is about it (it would open the first chunk). */
function fiche(sections: FicheSection[], description = '') {
  return { id: 'F1', description, sections };
}

describe('estimateTokens', () => {
  it('counts whitespace-separated words × 1.4, rounded up', () => {
    expect(TOKENS_PER_WORD).toBe(1.4);
    expect(estimateTokens('un deux  trois\nquatre cinq')).toBe(7);
    expect(estimateTokens('')).toBe(0);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends followed by a capital, a digit or a quote', () => {
    expect(splitSentences('Première phrase. Deuxième ? Troisième ! « Quatrième » dit-il. 2 mois plus tard.')).toEqual([
      'Première phrase.',
      'Deuxième ?',
      'Troisième !',
      '« Quatrième » dit-il.',
      '2 mois plus tard.',
    ]);
  });

  it('does not split after French abbreviations, initials, article numbers or inside amounts', () => {
    const text =
      "M. Dupont, selon l'art. L. 1251-6 du code et le n° 12 du décret, doit 1 500,50 € à Mme. Martin. " +
      'Voir p. 12 et cf. Annexe. Fin.';
    expect(splitSentences(text)).toEqual([
      "M. Dupont, selon l'art. L. 1251-6 du code et le n° 12 du décret, doit 1 500,50 € à Mme. Martin.",
      'Voir p. 12 et cf. Annexe.',
      'Fin.',
    ]);
  });

  it('does not split before a lower-case word', () => {
    expect(splitSentences('Environ 3 km. en voiture, etc. puis la suite.')).toEqual(['Environ 3 km. en voiture, etc. puis la suite.']);
  });
});

describe('chunkFiche', () => {
  it('gives ids, ordinals and paths, deterministically', () => {
    const f = fiche([
      { path: [], text: sentence(60) },
      { path: ['Chapitre A'], text: sentence(200, 'a') },
      { path: ['Chapitre B'], text: sentence(200, 'b') },
    ]);
    const chunks = chunkFiche(f);
    expect(chunks.map((c) => [c.id, c.ordinal, c.ficheId, c.sectionPath])).toEqual([
      ['F1#0', 0, 'F1', []],
      ['F1#1', 1, 'F1', ['Chapitre A']],
      ['F1#2', 2, 'F1', ['Chapitre B']],
    ]);
    expect(chunks[1]?.text).toBe(sentence(200, 'a'));
    expect(chunks[1]?.tokenEstimate).toBe(280);
    expect(chunkFiche(f)).toEqual(chunks);
  });

  it('splits a long section on paragraph then sentence boundaries, within the hard maximum', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `${sentence(60, `p${i}a`)} ${sentence(60, `p${i}b`)}`);
    const huge = Array.from({ length: 8 }, (_, i) => sentence(50, `h${i}`)).join(' ');
    const chunks = chunkFiche(fiche([{ path: ['Long'], text: [...paragraphs, huge].join('\n\n') }]));
    for (const c of chunks) {
      expect(c.tokenEstimate).toBeLessThanOrEqual(450);
      expect(c.sectionPath).toEqual(['Long']);
      expect(c.text).toMatch(/fin\.$/);
      expect(c.text.startsWith('Le ')).toBe(true);
    }
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.map((c) => c.text).join(' ').replace(/\s+/g, ' ')).toBe([...paragraphs, huge].join(' '));
  });

  it('respects the size options', () => {
    const text = Array.from({ length: 20 }, (_, i) => sentence(20, `s${i}`)).join(' ');
    const chunks = chunkFiche(fiche([{ path: ['A'], text }]), { targetTokens: 80, maxTokens: 100 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.tokenEstimate).toBeLessThanOrEqual(100);
  });

  it('cuts a sentence longer than the maximum between words, as a last resort', () => {
    const chunks = chunkFiche(fiche([{ path: ['A'], text: sentence(700) }]));
    expect(chunks.length).toBe(3);
    for (const c of chunks) expect(c.tokenEstimate).toBeLessThanOrEqual(450);
    expect(chunks.map((c) => c.text).join(' ')).toBe(sentence(700));
  });

  it('splits a large table by rows, repeating the header', () => {
    const header = '| Médaille | Ancienneté |\n| --- | --- |';
    const rows = Array.from({ length: 40 }, (_, i) => `| Échelon ${i} avec un libellé assez long pour peser | ${i} ans |`);
    const chunks = chunkFiche(fiche([{ path: ['Tableau'], text: [header, ...rows].join('\n') }]));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.text.startsWith(`${header}\n| Échelon`)).toBe(true);
      expect(c.tokenEstimate).toBeLessThanOrEqual(450);
    }
    expect(chunks.flatMap((c) => c.text.split('\n').slice(2))).toEqual(rows);
  });

  it('splits a large list by items, keeping nested items with their parent', () => {
    const items = Array.from({ length: 30 }, (_, i) => `- Item ${i} : ${sentence(25, `i${i}`)}\n  - détail ${i}`);
    const chunks = chunkFiche(fiche([{ path: ['Liste'], text: items.join('\n') }]));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.text).toMatch(/^- Item \d+/);
      expect(c.text).toMatch(/- détail \d+$/);
    }
  });

  it('moves a lead-in to the chunk of what it introduces', () => {
    const intro = 'Il faut fournir les documents suivants :';
    const list = Array.from({ length: 10 }, (_, i) => `- Document ${i} : ${sentence(20, `l${i}`)}`).join('\n');
    const chunks = chunkFiche(fiche([{ path: ['A'], text: `${sentence(200)}\n\n${intro}\n\n${list}` }]));
    expect(chunks.map((c) => c.text)).toEqual([sentence(200), `${intro}\n\n${list}`]);
  });

  it('merges small sibling sections under their common parent, with their titles', () => {
    const chunks = chunkFiche(
      fiche([
        { path: ['Situation', 'Coût'], text: 'La carte est gratuite.' },
        { path: ['Situation', 'Délai'], text: sentence(80) },
        { path: ['Situation', 'Retrait'], text: sentence(60, 'r') },
      ]),
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.sectionPath).toEqual(['Situation']);
    expect(chunks[0]?.text).toBe(
      `**Coût**\n\nLa carte est gratuite.\n\n**Délai**\n\n${sentence(80)}\n\n**Retrait**\n\n${sentence(60, 'r')}`,
    );
  });

  it('never merges large sections, nor unrelated small ones across different branches', () => {
    const chunks = chunkFiche(
      fiche([
        { path: ['En France', 'Coût', 'Cas 1'], text: sentence(150, 'x') },
        { path: ['En France', 'Coût', 'Cas 2'], text: sentence(150, 'y') },
        { path: ['À l’étranger', 'Délai', 'Cas 3'], text: 'Un mois.' },
      ]),
    );
    expect(chunks.map((c) => c.sectionPath)).toEqual([
      ['En France', 'Coût', 'Cas 1'],
      ['En France', 'Coût', 'Cas 2'],
      ['À l’étranger', 'Délai', 'Cas 3'],
    ]);
  });

  it('merges a tiny last section into the previous sibling chunk', () => {
    const chunks = chunkFiche(
      fiche([
        { path: ['A', 'Un'], text: sentence(240, 'u') },
        { path: ['A', 'Deux'], text: 'Court.' },
      ]),
    );
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.sectionPath).toEqual(['A']);
    expect(chunks[0]?.text.endsWith('**Deux**\n\nCourt.')).toBe(true);
  });

  it('opens with the description when there is no introduction, whole sentences only, like an introduction', () => {
    const sections = [{ path: ['A'], text: sentence(250) }];
    const [first] = chunkFiche(fiche(sections, 'Résumé complet. Résumé coupé par le flux, un justificatif'));
    // A short description is an introduction too small to stand alone: it opens the first chunk, at the fiche's top.
    expect(first?.sectionPath).toEqual([]);
    expect(first?.text).toBe(`Résumé complet.\n\n**A**\n\n${sentence(250)}`);
    const long = `${sentence(40, 'd')} ${sentence(40, 'e')}`;
    expect(chunkFiche(fiche(sections, long)).map((c) => [c.sectionPath, c.text])).toEqual([
      [[], long],
      [['A'], sentence(250)],
    ]);
    const withIntro = chunkFiche(fiche([{ path: [], text: sentence(250, 'intro') }, ...sections], long));
    expect(withIntro[0]?.text).toBe(sentence(250, 'intro'));
    expect(chunkFiche(fiche([], long))).toEqual([]);
  });
});
