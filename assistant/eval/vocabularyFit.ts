import type { SearchIndex } from '../../corpus/index/searchIndex.js';
import type { LearnedVocabulary } from '../../corpus/search/learnedVocabulary.js';
import { ASSOCIATION_OPTIONS, associationExample, learnVocabulary, type AssociationExample, type AssociationOptions } from '../../corpus/search/questionAssociations.js';
import { RERANK_WEIGHTS } from '../../corpus/search/rerankWeights.js';
import { SpellingCorrector } from '../../corpus/search/vocabulary.js';
import type { EvalQuestionResult } from '../knowledge/retrievalEval.js';
import type { EvalQuestion } from './questionSet.js';
import { measureWeights } from './rerankFit.js';

/** A question set by one writer: the unit the learner counts writers by and the validation leaves out. */
export interface WriterSet {
  name: string;
  questions: readonly EvalQuestion[];
}

/** The examples the learner reads from sets of questions with gold fiches: each question with its fiches' titles. */
export function vocabularyExamples(index: SearchIndex, sets: readonly WriterSet[]): AssociationExample[] {
  const corrector = SpellingCorrector.of(index.vocabulary);
  return sets.flatMap((set) =>
    set.questions
      .filter((question) => question.gold.length > 0)
      .map((question) => {
        const titles = question.gold.map((id) => index.summary(index.keyOf(id, question.audience) ?? '')?.title).filter((title): title is string => !!title);
        return associationExample(question.question, titles, set.name, corrector);
      }),
  );
}

/** The vocabulary learnt from these sets (`npm run eval:vocabulaire` writes it into corpus/search/learnedVocabulary.ts). */
export function fitVocabulary(index: SearchIndex, sets: readonly WriterSet[]): LearnedVocabulary {
  return learnVocabulary(vocabularyExamples(index, sets));
}

/** Each set with the vocabulary learnt from the other sets only: how the search meets a new writer's questions. */
export function heldOutVocabularies(
  index: SearchIndex,
  sets: readonly WriterSet[],
  options: Readonly<AssociationOptions> = ASSOCIATION_OPTIONS,
): (WriterSet & { learned: LearnedVocabulary })[] {
  const examples = new Map(sets.map((set) => [set, vocabularyExamples(index, [set])]));
  return sets.map((set) => {
    const teachers = sets.filter((other) => other !== set);
    return { ...set, learned: learnVocabulary(teachers.flatMap((other) => examples.get(other) ?? []), options) };
  });
}

export interface VocabularyValidation {
  /** Each set searched with the vocabulary learnt from the other sets only. */
  held: EvalQuestionResult[];
  /** The same questions searched with no learnt vocabulary. */
  without: EvalQuestionResult[];
  perSet: { name: string; words: number; held: EvalQuestionResult[]; without: EvalQuestionResult[] }[];
}

/**
 * Leaves each set out in turn, learns from the others and measures it (each question within its audience, full-text,
 * today's re-rank weights), against no learnt vocabulary: what a new writer's questions gain, the figure to trust.
 */
export async function validateVocabulary(
  index: SearchIndex,
  sets: readonly WriterSet[],
  onSet?: (name: string) => void,
  options: Readonly<AssociationOptions> = ASSOCIATION_OPTIONS,
): Promise<VocabularyValidation> {
  const perSet: VocabularyValidation['perSet'] = [];
  for (const set of heldOutVocabularies(index, sets, options)) {
    const learned = set.learned;
    const held = (await measureWeights(index, RERANK_WEIGHTS, set.questions, learned)).perQuestion;
    const without = (await measureWeights(index, RERANK_WEIGHTS, set.questions, {})).perQuestion;
    perSet.push({ name: set.name, words: Object.keys(learned).length, held, without });
    onSet?.(set.name);
  }
  return { held: perSet.flatMap((set) => set.held), without: perSet.flatMap((set) => set.without), perSet };
}

/** The source of corpus/search/learnedVocabulary.ts for this vocabulary: one word per line, sorted, to diff. */
export function vocabularyModule(learned: LearnedVocabulary, provenance: string): string {
  const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const entries = Object.keys(learned)
    .sort()
    .map((word) => `  ${/^[a-z_][a-z0-9_]*$/.test(word) ? word : quoted(word)}: ${quoted(learned[word] ?? '')},`);
  return [
    '/** A question word → the words of fiche titles it stands for, space-separated (as the hand-written SYNONYMS). */',
    'export type LearnedVocabulary = Readonly<Record<string, string>>;',
    '',
    '/**',
    ' * The words agents use for what fiche titles say otherwise, learnt from questions whose answering fiches are known',
    ' * (corpus/search/questionAssociations.ts; docs/recherche.md, « Vocabulaire appris »). Written by',
    ` * \`npm run eval:vocabulaire -- --ecrire\`: do not edit by hand, learn it again. ${provenance}`,
    ' */',
    'export const LEARNED_VOCABULARY: LearnedVocabulary = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}
