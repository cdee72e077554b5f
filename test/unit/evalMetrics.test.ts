import { describe, expect, it } from 'vitest';
import { declines, scoreAnswer } from '../../assistant/eval/answerMetrics.js';
import { recordOf } from '../../assistant/eval/evalRecord.js';
import type { EvalAnswer } from '../../assistant/eval/evalAnswer.js';
import { factFound, factsFound, normaliseForFacts } from '../../assistant/eval/factMatch.js';
import { summariseModel } from '../../assistant/eval/modelSummary.js';
import { parseEvalSet, type EvalQuestion } from '../../assistant/eval/questionSet.js';
import { evaluateRetrieval } from '../../assistant/knowledge/retrievalEval.js';

const question: EvalQuestion = { id: 'q1', question: 'Combien coûte le passeport ?', gold: ['F14930'], facts: ['86 €', '17 €'] };
const extracts = [
  { n: 1, ficheId: 'F14930' },
  { n: 2, ficheId: 'F21092' },
  { n: 3, ficheId: 'F14930' },
];

describe('citation validity', () => {
  it('counts every mark, repeated ones each time, and lists the numbers with no extract once', () => {
    const score = scoreAnswer(question, 'Le passeport coûte 86 € [1]. Timbre [1][2]. Délai [4] et [9, 4].', extracts);
    // Marks: 1, 1, 2, 4, 9, 4 → 3 of 6 point to an extract.
    expect(score.marks).toBe(6);
    expect(score.validMarks).toBe(3);
    expect(score.invalidNumbers).toEqual([4, 9]);
    expect(score.citedFiches).toEqual(['F14930', 'F21092']);
    expect(score.citesGold).toBe(true);
  });

  it('reads ranges and lists as the citation parser does, and a draft without marks has none', () => {
    expect(scoreAnswer(question, 'Voir [1-3].', extracts)).toMatchObject({ marks: 3, validMarks: 3 });
    expect(scoreAnswer(question, 'Aucune source.', extracts)).toMatchObject({ marks: 0, validMarks: 0, citedFiches: [], citesGold: false });
  });

  it('does not count a gold fiche cited through an invented number', () => {
    expect(scoreAnswer(question, 'Voir [2] et [7].', extracts).citesGold).toBe(false);
  });

  it('has no gold verdict for an out-of-scope question', () => {
    expect(scoreAnswer({ id: 'o', question: 'x', gold: [], outOfScope: true }, 'Rien [1].', extracts).citesGold).toBeNull();
  });
});

describe('fact matching', () => {
  it('matches « 12,50 € » and « 12.5 euros » both ways, accents and case aside', () => {
    expect(factFound('Il paie 12.5 euros de frais.', '12,50 €')).toBe(true);
    expect(factFound('Il paie 12,50 € de frais.', '12.5 euros')).toBe(true);
    expect(factFound('TIMBRE FISCAL obligatoire', 'timbre fiscal')).toBe(true);
    expect(factFound('La démarche est GRATUITE.', 'gratuite')).toBe(true);
    expect(factFound('La démarche est payante.', 'gratuite')).toBe(false);
    expect(factFound('Délai : deux mois', 'délai')).toBe(true);
  });

  it('matches whole numbers only, with thousands written with a space', () => {
    expect(factFound('Il paie 112,50 € de frais.', '12,50 €')).toBe(false);
    expect(factFound('Plafond de 1 500 € par an', '1500 euros')).toBe(true);
    expect(factFound('Plafond de 1\u202f500\u00a0€', '1 500 €')).toBe(true);
    expect(factFound('25 % du salaire', '25 pour cent')).toBe(true);
    expect(factFound('formulaire cerfa n° 10071*14', 'cerfa n°10071*14')).toBe(true);
    expect(factFound('formulaire cerfa n° 10071*15', 'cerfa n°10071*14')).toBe(false);
  });

  it('splits found and missing facts', () => {
    expect(factsFound('Le passeport coûte 86 €.', ['86 €', '17 €'])).toEqual({ found: ['86 €'], missing: ['17 €'] });
    expect(normaliseForFacts('Coût : 12,50 €.')).toBe('cout 12.5 eur');
  });
});

describe('out-of-scope detection', () => {
  it.each([
    'Les fiches ne répondent pas à cette question.',
    'Les extraits fournis ne permettent pas de répondre ; orientez l’usager vers la mairie.',
    "Aucun extrait ne traite des horaires de la mairie annexe.",
    'Les informations fournies n’indiquent pas le délai de traitement.',
    "Je ne peux pas répondre à partir de ces fiches : contactez la CAF.",
  ])('recognises « %s »', (text) => expect(declines(text)).toBe(true));

  it.each([
    'Le passeport coûte 86 € [1]. La fiche précise que le délai est de 2 semaines [2].',
    'Il ne faut pas oublier le justificatif de domicile [2].',
    'Le locataire ne paie pas la taxe foncière [1].',
  ])('does not take « %s » for a refusal', (text) => expect(declines(text)).toBe(false));
});

function answer(text: string, overrides: Partial<EvalAnswer> = {}): EvalAnswer {
  return {
    mode: 'model',
    answer: text,
    stopReason: 'stop',
    extracts,
    retrieved: ['F14930', 'F21092'],
    stats: { searchMs: 100, promptTokens: 1000, evaluatedPromptTokens: 800, readAfterSubmitMs: 1000, ttftMs: 1100, promptReadMs: 800, completionTokens: 50, tokensPerSecond: 10, totalMs: 6000 },
    engine: { cpuMs: 4000, raplJoules: null, maxRssBytes: 500 * 2 ** 20, wallMs: 6000 },
    warnings: [],
    ...overrides,
  };
}

describe('records and model summary', () => {
  it('splits the time to first token and estimates energy from CPU time without RAPL', () => {
    const record = recordOf(question, answer('Coût 86 € [1].'), { processorWatts: 16, logicalCores: 4 });
    expect(record.timings).toEqual({ searchMs: 100, promptReadMs: 800, firstTokenMs: 200, ttftMs: 1100, totalMs: 6000 });
    expect(record.readingTokensPerSecond).toBe(1000);
    // 4 s of CPU at 16 W shared by 4 logical cores = 16 J.
    expect(record.energy).toEqual({ joules: 16, source: 'estimation' });
    expect(recordOf(question, answer('x', { engine: { cpuMs: 1, raplJoules: 42, maxRssBytes: 1, wallMs: 1 } }), { processorWatts: 16, logicalCores: 4 }).energy).toEqual({ joules: 42, source: 'rapl' });
  });

  it('sums up shares over the questions that measure them', () => {
    const questions: EvalQuestion[] = [
      question,
      { id: 'q2', question: 'Casier ?', gold: ['F1420'], facts: ['gratuite'] },
      { id: 'q3', question: 'Horaires de la mairie ?', gold: [], outOfScope: true },
      { id: 'q4', question: 'Dossier CAF ?', gold: [], outOfScope: true },
    ];
    const estimate = { processorWatts: 10, logicalCores: 1 };
    const records = [
      recordOf(questions[0]!, answer('Coût 86 € et 17 € [1] [5].'), estimate),
      recordOf(questions[1]!, answer('La demande est gratuite.', { extracts: [{ n: 1, ficheId: 'F1420' }] }), estimate),
      recordOf(questions[2]!, answer('Les fiches ne répondent pas à cette question.'), estimate),
      recordOf(questions[3]!, answer('Le dossier est traité en 2 mois [1].', { engine: { cpuMs: 2000, raplJoules: null, maxRssBytes: 900 * 2 ** 20, wallMs: 1 } }), estimate),
    ];
    const summary = summariseModel(records, questions);
    expect(summary.answered).toBe(4);
    // Marks: [1] [5] (q1), [1] (q4) → 2 valid of 3.
    expect(summary.citationValidity).toBeCloseTo(2 / 3);
    expect(summary.citesGold).toBe(0.5);
    expect(summary.noCitation).toBe(0.5);
    expect(summary.outOfScopeDeclined).toBe(0.5);
    expect(summary.inScopeDeclined).toBe(0);
    expect(summary.factsFound).toBe(1);
    expect(summary.peakRssBytes).toBe(900 * 2 ** 20);
    expect(summary.energyJoules.source).toBe('estimation');
    expect(summary.energyJoules.mean).toBe(35);
  });

  it('has no figure where the set gives nothing to measure', () => {
    const summary = summariseModel([recordOf({ id: 'a', question: 'x', gold: ['F1'] }, answer('Texte.'), { processorWatts: 1, logicalCores: 1 })], [{ id: 'a', question: 'x', gold: ['F1'] }]);
    expect(summary).toMatchObject({ citationValidity: null, outOfScopeDeclined: null, factsFound: null, noCitation: 1 });
  });
});

describe('question sets and retrieval by kind', () => {
  it('reads the documented format, with or without its envelope, and refuses an empty gold outside out-of-scope', () => {
    const questions = [{ id: 1, question: 'Passeport ?', gold: ['F14930'], kind: 'short', facts: ['86 €'] }, { id: 'o', question: 'Horaires ?', gold: [], outOfScope: true }];
    expect(parseEvalSet({ name: 'x', questions }, 'x.json')).toEqual([
      { id: '1', question: 'Passeport ?', gold: ['F14930'], kind: 'short', facts: ['86 €'] },
      { id: 'o', question: 'Horaires ?', gold: [], outOfScope: true },
    ]);
    expect(parseEvalSet(questions, 'x.json')).toHaveLength(2);
    expect(() => parseEvalSet([{ id: 'a', question: 'x', gold: [] }], 'x.json')).toThrow(/jeu d'évaluation reconnu/);
  });

  it('scores recall and MRR per kind and leaves out-of-scope questions out', async () => {
    const set: EvalQuestion[] = [
      { id: 'a', question: 'a', gold: ['F1'], kind: 'short' },
      { id: 'b', question: 'b', gold: ['F2'], kind: 'short' },
      { id: 'c', question: 'c', gold: ['F3'], kind: 'typo' },
      { id: 'd', question: 'd', gold: [], outOfScope: true, kind: 'out-of-scope' },
    ];
    const ranked: Record<string, string[]> = { a: ['F1', 'F9'], b: ['F9', 'F2'], c: ['F8', 'F9'] };
    const report = await evaluateRetrieval(set, async (q) => ranked[q] ?? [], 5);
    expect(report).toMatchObject({ questions: 3, skipped: 1, recallAt1: 1 / 3, recallAt5: 2 / 3 });
    expect(report.mrr).toBeCloseTo(0.5);
    expect(report.byKind).toEqual({ short: { questions: 2, recallAt1: 0.5, recallAt5: 1, mrr: 0.75 }, typo: { questions: 1, recallAt1: 0, recallAt5: 0, mrr: 0 } });
  });

  it('sets the weak flag against the misses when the search tells it, and says nothing when it does not', async () => {
    const set: EvalQuestion[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, question: id, gold: [`F${id}`] }));
    // a, b flagged: a missed, b found at rank 2; c, d, e not flagged: e found at rank 6 only (a miss of the top 5).
    const found: Record<string, { ids: string[]; weak: boolean }> = {
      a: { ids: ['F9'], weak: true },
      b: { ids: ['F9', 'Fb'], weak: true },
      c: { ids: ['Fc'], weak: false },
      d: { ids: ['Fd'], weak: false },
      e: { ids: ['F1', 'F2', 'F3', 'F4', 'F5', 'Fe'], weak: false },
    };
    const report = await evaluateRetrieval(set, async (q) => found[q] ?? { ids: [], weak: true }, 5);
    expect(report.weakFlag).toEqual({ flagged: 2, flaggedAbsent: 1, notFlagged: 3, notFlaggedAbsent: 1 });
    expect(report.perQuestion.map((q) => q.weak)).toEqual([true, true, false, false, false]);
    expect((await evaluateRetrieval(set, async () => ['Fa'], 5)).weakFlag).toBeUndefined();
  });
});
