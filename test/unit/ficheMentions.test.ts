import { describe, expect, it } from 'vitest';
import type { FicheFields } from '../../corpus/search/ficheFields.js';
import { FicheMentions } from '../../corpus/search/ficheMentions.js';

const fiche = (id: string, fields: Partial<FicheFields>): FicheFields => ({
  key: `particuliers:${id}`, title: '', trail: '', headings: '', summary: '', inbound: '', asked: '', body: '', inlinks: 0, ...fields,
});

const fiches = [
  fiche('F1', { title: 'Pension de réversion', body: 'Si votre époux est décédé, vous pouvez toucher une partie de sa retraite.' }),
  fiche('F2', { title: 'Montant de la pension de retraite', body: 'La retraite est calculée sur les 25 meilleures années.' }),
  fiche('F3', { title: 'Carte nationale d’identité', inbound: 'CNI', asked: 'refaire mes papiers' }),
  ...Array.from({ length: 7 }, (_, n) => fiche(`G${n}`, { body: 'retraite du salarié' })),
];
const mentions = FicheMentions.fromFields(fiches);

describe('FicheMentions', () => {
  it('credits the fiche that mentions every concept somewhere, the rare ones weighing most', () => {
    const cover = mentions.coverage(['particuliers:F1', 'particuliers:F2'], [['decede'], ['retraite']]);
    expect(cover.get('particuliers:F1')).toBe(1);
    // « décédé » is rarer than « retraite »: holding only « retraite » is well under half of the question.
    expect(cover.get('particuliers:F2')).toBeGreaterThan(0);
    expect(cover.get('particuliers:F2')).toBeLessThan(0.5);
  });

  it('counts a concept named by a word it stands for, and leaves out words no fiche has', () => {
    const cover = mentions.coverage(['particuliers:F3', 'particuliers:F2'], [['cni', 'carte', 'identite'], ['zzzinconnu']]);
    expect(cover.get('particuliers:F3')).toBe(1);
    expect(cover.get('particuliers:F2')).toBe(0);
    expect(mentions.coverage(['particuliers:F1'], [['zzzinconnu']]).get('particuliers:F1')).toBe(0);
    expect(mentions.coverage(['particuliers:F9'], [['retraite']]).get('particuliers:F9')).toBe(0);
  });

  it('counts the words people use to ask for the fiche (its phrasings) as mentioned', () => {
    expect(mentions.coverage(['particuliers:F3', 'particuliers:F1'], [['papiers']]).get('particuliers:F3')).toBe(1);
    expect(mentions.coverage(['particuliers:F3', 'particuliers:F1'], [['papiers']]).get('particuliers:F1')).toBe(0);
  });

  it('matches inflections (rough stems) and keeps everything through storage', () => {
    const stored = FicheMentions.fromStored(JSON.parse(JSON.stringify(mentions.toStored())));
    expect(stored).toBeDefined();
    const keys = fiches.map((f) => f.key);
    const concepts = [['retraites'], ['decede'], ['annee']];
    expect(stored?.coverage(keys, concepts)).toEqual(mentions.coverage(keys, concepts));
    expect(mentions.coverage(['particuliers:F2'], [['annee'], ['retraites']]).get('particuliers:F2')).toBe(1);
  });

  it('refuses a stored form it did not write', () => {
    expect(FicheMentions.fromStored({ version: 1, keys: [], mentions: {} })).toBeUndefined();
    expect(FicheMentions.fromStored({ version: 2, keys: [] })).toBeUndefined();
    expect(FicheMentions.fromStored({ version: 2, keys: ['particuliers:F1'], mentions: { retrait: [0] } })).toBeUndefined();
    expect(FicheMentions.fromStored(null)).toBeUndefined();
  });
});
