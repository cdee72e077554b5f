import { describe, expect, it } from 'vitest';
import { ASSOCIATION_OPTIONS, associationExample, learnVocabulary, type AssociationExample } from '../../corpus/search/questionAssociations.js';
import { analyzeQuery } from '../../corpus/search/queryAnalysis.js';

const NOTICE = 'Préavis et formalités du congé donné par le locataire';
const example = (writer: string, question: string, title: string): AssociationExample => associationExample(question, [title], writer);

describe('associationExample', () => {
  it('keeps the title words the question leaves to the fiche, not those it says', () => {
    const read = example('a', 'mon logeur veut un préavis de combien ?', NOTICE);
    expect(read.terms).toEqual(expect.arrayContaining(['logeur', 'preavis']));
    expect([...read.titleWords.values()]).toEqual(expect.arrayContaining(['locataire', 'conge', 'formalites']));
    expect([...read.titleWords.values()]).not.toContain('preavis');
  });

  it('leaves acronyms to the hand-written table', () => {
    expect(example('a', 'la caf me demande un papier', 'Allocations familiales').terms).not.toContain('caf');
  });
});

describe('learnVocabulary', () => {
  it('learns a word that several writers pair with the same title words', () => {
    const examples = [
      example('a', 'je quitte mon appart, combien de temps pour prévenir le logeur', NOTICE),
      example('b', 'mon logeur, je pars, je le préviens quand', NOTICE),
      example('c', 'le logeur ne rend pas l’argent versé à l’entrée', 'Dépôt de garantie dans un contrat de location'),
    ];
    const learned = learnVocabulary(examples, { ...ASSOCIATION_OPTIONS, smoothing: 0, minShare: 0.5 });
    // Two words per question word, from the title two writers' answers share, none from the single other answer.
    const words = learned.logeur?.split(' ') ?? [];
    expect(words).toHaveLength(2);
    for (const word of words) expect(['preavis', 'formalites', 'conge', 'donne', 'locataire']).toContain(word);
  });

  it('needs two writers: one writer’s habit is not the agents’ vocabulary', () => {
    const examples = [example('a', 'mon logeur, je pars', NOTICE), example('a', 'prévenir le logeur avant de partir', NOTICE)];
    expect(learnVocabulary(examples).logeur).toBeUndefined();
  });

  it('leaves a word whose questions go every way, and words the hand-written vocabulary expands', () => {
    const titles = ['Carte grise', 'Dépôt de garantie', 'Taxe foncière', 'Congé de maternité', 'Permis de conduire', 'Retraite'];
    const spread = titles.map((title, at) => example(`w${at % 3}`, 'question sur le dossier', title));
    const hand = [example('a', 'ma mutuelle', 'Complémentaire santé solidaire'), example('b', 'la mutuelle', 'Complémentaire santé solidaire')];
    const learned = learnVocabulary([...spread, ...hand]);
    expect(learned.dossier).toBeUndefined();
    expect(learned.mutuelle).toBeUndefined();
  });
});

describe('analyzeQuery with a learnt vocabulary', () => {
  it('adds the learnt words to the question, after the hand-written ones, and never in place of its own words', () => {
    const learned = { logeur: 'locataire preavis', mutuelle: 'ne doit pas servir' };
    const analysis = analyzeQuery('mon logeur et ma mutuelle', undefined, learned);
    expect(analysis.terms).toEqual(expect.arrayContaining(['logeur', 'mutuelle']));
    expect(analysis.expansionsByTerm.logeur).toEqual(['locataire', 'preavis']);
    expect(analysis.expansions).not.toContain('servir');
    expect(analyzeQuery('mon logeur', undefined, {}).expansions).not.toContain('locataire');
  });

  it("asks the indexes the question's own words at 1 and the added ones at their vocabulary's weight", () => {
    const weights = { handExpansion: 0.8, learnedExpansion: 0.4 };
    const analysis = analyzeQuery('mon logeur et la CAF', undefined, { logeur: 'locataire preavis' }, weights);
    const weight = (word: string) => analysis.fullTextWords.find((asked) => asked.word === word)?.weight;
    expect([weight('logeur'), weight('locataire'), weight('preavis')]).toEqual([1, 0.4, 0.4]);
    expect(weight('allocations')).toBe(0.8);
    expect(analysis.fullText).toBe(analysis.fullTextWords.map((asked) => asked.word).join(' '));
  });
});
