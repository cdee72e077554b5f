import { describe, expect, it } from 'vitest';
import { editDistance, fold, tokenize } from '../../corpus/search/frenchText.js';
import { analyzeQuery } from '../../corpus/search/queryAnalysis.js';
import { SpellingCorrector, buildVocabulary } from '../../corpus/search/vocabulary.js';

const corrector = new SpellingCorrector(
  buildVocabulary([
    "Les allocations familiales sont versées par la caisse d'allocations familiales.",
    'Allocations familiales : montant et conditions.',
    "La carte d'identité d'un mineur. Carte d'identité : renouvellement.",
    'Le passeport biométrique. Passeport : demande en mairie.',
    'Passeport : renouvellement.',
    'Le licenciement pour motif personnel. Licenciement économique.',
  ]),
);

describe('French text', () => {
  it('folds accents and ligatures and splits elisions', () => {
    expect(fold('Élève, cœur, Ça')).toBe('eleve, coeur, ca');
    expect(tokenize("L'allocation d'aide à l’enfant")).toEqual(['allocation', 'aide', 'a', 'enfant']);
  });

  it('measures edit distance with transpositions, stopping early', () => {
    expect(editDistance('passeport', 'passeport', 2)).toBe(0);
    expect(editDistance('pasesport', 'passeport', 2)).toBe(1);
    expect(editDistance('alocations', 'allocations', 2)).toBe(1);
    expect(editDistance('chat', 'passeport', 2)).toBe(3);
  });
});

describe('analyzeQuery', () => {
  it('drops politeness and question words, keeps the subject', () => {
    const analysis = analyzeQuery('Bonjour, comment puis-je renouveler mon passeport svp ?', corrector);
    expect(analysis.terms).toContain('passeport');
    expect(analysis.terms).toContain('renouveler');
    for (const filler of ['bonjour', 'comment', 'puis', 'svp']) expect(analysis.terms).not.toContain(filler);
  });

  it('keeps every word when the question is only question words', () => {
    expect(analyzeQuery('comment faire ?', corrector).terms).toEqual(['comment', 'faire']);
  });

  it('expands acronyms and spells them out for the embedder', () => {
    const analysis = analyzeQuery("Quel est le montant de l'APL ?", corrector);
    expect(analysis.acronyms).toEqual(['apl']);
    expect(analysis.expansions).toEqual(expect.arrayContaining(['aide', 'personnalisee', 'logement']));
    expect(analysis.semantic).toContain('APL (aide personnalisée au logement)');
  });

  it('corrects typos against the corpus vocabulary, not short words', () => {
    const analysis = analyzeQuery('alocations familliales pasport', corrector);
    expect(analysis.corrections).toEqual([
      { from: 'alocations', to: 'allocations' },
      { from: 'familliales', to: 'familiales' },
      { from: 'pasport', to: 'passeport' },
    ]);
    expect(analyzeQuery('le cas', corrector).corrections).toEqual([]);
  });

  it('takes an inflection of a corpus word for that word, and leaves a word whose stem the corpus has as typed', () => {
    const vocabulary = new SpellingCorrector(buildVocabulary(['Les soins à domicile.', 'Des soins infirmiers.', 'Le soir venu.', 'Chaque soir.', 'Humiliation publique.', 'Une humiliation.']));
    // The nearest frequent word won before: « soirs » → « soins », « humilie » → « humidité ».
    expect(vocabulary.correct('soirs')).toBe('soir');
    expect(vocabulary.correct('humilie')).toBeUndefined();
    expect(vocabulary.correct('soinss')).toBe('soins');
  });

  it('hints the audience named by the question', () => {
    expect(analyzeQuery('Mon entreprise doit-elle payer la CFE ?', corrector).audienceHint).toBe('professionnels');
    expect(analyzeQuery('Créer une association loi 1901', corrector).audienceHint).toBe('associations');
    expect(analyzeQuery('Renouveler mon passeport', corrector).audienceHint).toBeUndefined();
  });

  it('expands everyday wording', () => {
    expect(analyzeQuery('j ai perdu ma carte grise', corrector).expansions).toEqual(expect.arrayContaining(['certificat', 'immatriculation']));
  });

  it('cuts a huge paste', () => {
    expect(analyzeQuery('passeport '.repeat(50_000), corrector).original.length).toBe(2_000);
  });
});

describe('everyday wording of 2026', () => {
  it('matches phrases whatever the little words, and today’s names of services', () => {
    expect(analyzeQuery("c'est pour un divorce à l'amiable").expansions).toEqual(expect.arrayContaining(['consentement', 'mutuel']));
  });

  it('matches a phrase that its small words make only as typed (« sans papiers », « sans juge », « à charge »)', () => {
    expect(analyzeQuery('il est sans papiers').expansions).toEqual(expect.arrayContaining(['regularisation']));
    expect(analyzeQuery("j'ai perdu mes papiers").expansions).not.toContain('regularisation');
    expect(analyzeQuery("j'ai perdu mes papiers").expansions).toEqual(expect.arrayContaining(['sejour']));
    expect(analyzeQuery("le juge l'a obligé à payer").expansions).not.toContain('consentement');
    expect(analyzeQuery('divorcer sans juge').expansions).toContain('consentement');
    expect(analyzeQuery('charges de copropriété').expansions).not.toContain('rattachement');
    expect(analyzeQuery('enfant à charge').expansions).toContain('rattachement');
    expect(analyzeQuery('sa fiche de paie est fausse').expansions).toEqual(expect.arrayContaining(['bulletin']));
    expect(analyzeQuery('inscription à France Travail').expansions).toEqual(expect.arrayContaining(['pole', 'emploi']));
    expect(analyzeQuery('récupérer sa caution').expansions).toEqual(expect.arrayContaining(['depot', 'garantie']));
  });

  it('matches the lists whatever the gender and number typed, never a key cut short', () => {
    expect(analyzeQuery('elle a été licenciée').expansions).toContain('licenciement');
    expect(analyzeQuery('ils sont licenciés').expansions).toContain('licenciement');
    expect(analyzeQuery('sa femme est morte cette nuit').expansions).toContain('deces');
    expect(analyzeQuery('son père vient de mourir').expansions).toContain('deces');
    expect(analyzeQuery('il a plein de dettes').expansions).toContain('surendettement');
    expect(analyzeQuery('sa voiture a été enlevée par la police').expansions).toContain('fourriere');
    expect(analyzeQuery('les heures sup non payées').expansions).toContain('supplementaires');
    // « papier » (a form to fill in) is not « papiers » (identity papers).
    expect(analyzeQuery('quel papier remplir pour vendre sa voiture').expansions).not.toContain('sejour');
  });

  it('« quitter » is a resignation only with a job: not a husband, parents or a flat', () => {
    for (const question of ['si je quitte mon boulot', 'quitter son CDI', 'elle veut quitter son travail']) expect(analyzeQuery(question).expansions).toContain('demission');
    for (const question of ['elle veut quitter son mari', 'il va quitter ses parents', 'je veux quitter mon appart']) expect(analyzeQuery(question).expansions).not.toContain('demission');
  });

  it('« elle est perdue » says how she feels: neither a subject word nor lost papers', () => {
    for (const question of ['elle est perdue et ne sait pas quoi faire', 'il se sent complètement perdu', 'je suis un peu perdue']) {
      const query = analyzeQuery(question);
      expect(query.terms.some((term) => term.startsWith('perdu'))).toBe(false);
      expect(query.expansions).not.toContain('perte');
    }
    expect(analyzeQuery('sa carte est perdue').expansions).toContain('perte');
    expect(analyzeQuery('il a perdu sa carte vitale').expansions).toContain('perte');
    expect(analyzeQuery('il a perdu sa carte vitale').terms).toContain('perdu');
  });
});
