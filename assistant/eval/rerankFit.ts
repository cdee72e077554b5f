import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { FicheSearch } from '../../corpus/search/ficheSearch.js';
import { LEARNED_VOCABULARY, type LearnedVocabulary } from '../../corpus/search/learnedVocabulary.js';
import { RERANK_WEIGHTS, type RerankWeights } from '../../corpus/search/rerankWeights.js';
import { evaluateRetrieval, scores, type EvalQuestionResult, type RetrievalEvalReport, type RetrievalScores } from '../knowledge/retrievalEval.js';
import { coordinateAscent } from './coordinateAscent.js';
import type { EvalQuestion } from './questionSet.js';

export { RERANK_WEIGHTS, type RerankWeights };

/** Multipliers tried on each weight; 0 lets the fit drop a weight that does not help. */
const FACTORS = [0, 0.5, 0.7, 0.85, 1.2, 1.4, 2];

export interface FitOptions {
  factors?: readonly number[];
  maxRounds?: number;
  onTrial?: (value: number) => void;
}

/**
 * Questions with gold fiches and the learnt vocabulary they are searched with (default: the shipped one). A fit over
 * the tuning sets gives each set the vocabulary learnt from the others (vocabularyFit.ts, `heldOutVocabularies`): the
 * shipped one was learnt from these very questions, and weights fitted on it would trust its words too much.
 */
export interface FitSet {
  questions: readonly EvalQuestion[];
  learned?: LearnedVocabulary;
}

/**
 * Fits the re-rank weights on sets of questions (each searched within its audience, full-text, k = 5, with its set's
 * vocabulary), by coordinate ascent on recall@1 + recall@5 + MRR from `start` (default: today's weights).
 */
export async function fitRerankWeights(
  index: SearchIndex,
  sets: readonly FitSet[],
  options: FitOptions = {},
  start: Readonly<RerankWeights> = RERANK_WEIGHTS,
): Promise<RerankWeights> {
  const result = await coordinateAscent({ ...start }, async (weights) => objective(await measureSets(index, weights, sets)), {
    factors: options.factors ?? FACTORS,
    minimum: { fusionK: 1 },
    ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}),
    ...(options.onTrial ? { onTrial: (_: unknown, value: number) => options.onTrial?.(value) } : {}),
  });
  return result.weights;
}

/** Every set's questions searched with these weights and its own vocabulary, as one list. */
export async function measureSets(
  index: SearchIndex,
  weights: Readonly<RerankWeights>,
  sets: readonly FitSet[],
): Promise<RetrievalScores & { perQuestion: EvalQuestionResult[] }> {
  const perQuestion: EvalQuestionResult[] = [];
  for (const set of sets) perQuestion.push(...(await measureWeights(index, weights, set.questions, set.learned)).perQuestion);
  return { ...scores(perQuestion), perQuestion };
}

/** The index of a data folder, searched here with weights other than the built-in ones. */
export async function openFitIndex(dataDir: string): Promise<SearchIndex> {
  return SearchIndex.open(new IndexLayout(dataDir));
}

/**
 * Every question searched with these weights (and this learnt vocabulary, default the shipped one), each within its
 * audience (full-text, k = 5), as `guichet eval retrieval`.
 */
export async function measureWeights(
  index: SearchIndex,
  weights: Readonly<RerankWeights>,
  questions: readonly EvalQuestion[],
  learned: LearnedVocabulary = LEARNED_VOCABULARY,
): Promise<RetrievalEvalReport> {
  const search = new FicheSearch(index, undefined, weights, learned);
  return evaluateRetrieval(
    questions,
    async (query, item) => {
      const result = await search.search({ query, k: 5, ...(item.audience ? { audiences: [item.audience] } : {}) });
      return { ids: result.hits.map((hit) => hit.ficheId), weak: result.weak };
    },
    5,
  );
}

export function objective(figures: RetrievalScores): number {
  return figures.recallAt1 + figures.recallAt5 + figures.mrr;
}
