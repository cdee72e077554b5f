import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { FicheSearch } from '../../corpus/search/ficheSearch.js';
import { LEARNED_VOCABULARY, type LearnedVocabulary } from '../../corpus/search/learnedVocabulary.js';
import { RERANK_WEIGHTS, type RerankWeights } from '../../corpus/search/rerankWeights.js';
import { evaluateRetrieval, type RetrievalEvalReport, type RetrievalScores } from '../knowledge/retrievalEval.js';
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
 * Fits the re-rank weights on questions with gold fiches (each searched within its audience, full-text, k = 5), by
 * coordinate ascent on recall@1 + recall@5 + MRR from `start` (default: today's weights).
 */
export async function fitRerankWeights(
  index: SearchIndex,
  questions: readonly EvalQuestion[],
  options: FitOptions = {},
  start: Readonly<RerankWeights> = RERANK_WEIGHTS,
): Promise<RerankWeights> {
  const result = await coordinateAscent({ ...start }, async (weights) => objective(await measureWeights(index, weights, questions)), {
    factors: options.factors ?? FACTORS,
    minimum: { fusionK: 1 },
    ...(options.maxRounds ? { maxRounds: options.maxRounds } : {}),
    ...(options.onTrial ? { onTrial: (_: unknown, value: number) => options.onTrial?.(value) } : {}),
  });
  return result.weights;
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
