import type { EvalQuestion } from '../eval/questionSet.js';

export { parseEvalSet, type EvalQuestion } from '../eval/questionSet.js';

export interface EvalQuestionResult {
  id: string;
  question: string;
  gold: string[];
  kind?: string;
  /** 1-based rank of the first gold fiche among the results, `null` when none was returned. */
  rank: number | null;
  topIds: string[];
  /** The search said it was weak (see `SearchResult.weak`), when the search tells. */
  weak?: boolean;
}

/** What a searched question gives the evaluation: its fiche ids, best first, and whether the search found it weak. */
export interface RetrievedFiches {
  ids: readonly string[];
  weak?: boolean;
}

/**
 * How well the weak-retrieval flag tells a miss: among the questions flagged and the others, how many have no gold fiche
 * in the top 5. The flag is worth showing to the agent only when the first share is well above the second.
 */
export interface WeakFlagFigures {
  flagged: number;
  /** Flagged questions with no gold fiche in the top 5. */
  flaggedAbsent: number;
  notFlagged: number;
  notFlaggedAbsent: number;
}

/** Recall and MRR of a group of questions. */
export interface RetrievalScores {
  questions: number;
  recallAt1: number;
  recallAt5: number;
  /** Mean reciprocal rank over the results (at least 5; 0 for a miss). */
  mrr: number;
}

export interface RetrievalEvalReport extends RetrievalScores {
  k: number;
  /** The same figures per question kind, when the set gives kinds (out-of-scope questions have no gold: not counted). */
  byKind: Record<string, RetrievalScores>;
  /** Questions without gold fiche (out of scope), left out of recall and MRR. */
  skipped: number;
  perQuestion: EvalQuestionResult[];
  /** The weak flag against the misses, when the search tells its flag. */
  weakFlag?: WeakFlagFigures;
  /** Search latency per question, milliseconds. */
  latencyMs: { p50: number; p95: number };
}

/** Runs every question that has gold fiches through `search` and scores the ranks of the gold fiches. */
export async function evaluateRetrieval(
  questions: readonly EvalQuestion[],
  search: (question: string, item: EvalQuestion) => Promise<readonly string[] | RetrievedFiches>,
  k: number,
  onProgress?: (done: number, total: number) => void,
): Promise<RetrievalEvalReport> {
  const perQuestion: EvalQuestionResult[] = [];
  const latencies: number[] = [];
  const scored = questions.filter((q) => q.gold.length > 0);
  for (const [index, item] of scored.entries()) {
    const started = performance.now();
    const found = await search(item.question, item);
    latencies.push(performance.now() - started);
    const { ids, weak } = isRetrievedFiches(found) ? found : { ids: found, weak: undefined };
    const topIds = ids.slice(0, Math.max(k, 5));
    const position = topIds.findIndex((id) => item.gold.includes(id));
    perQuestion.push({
      id: item.id,
      question: item.question,
      gold: item.gold,
      ...(item.kind ? { kind: item.kind } : {}),
      rank: position >= 0 ? position + 1 : null,
      topIds: topIds.slice(0, k),
      ...(weak !== undefined ? { weak } : {}),
    });
    onProgress?.(index + 1, scored.length);
  }
  const kinds = [...new Set(perQuestion.flatMap((r) => (r.kind ? [r.kind] : [])))].sort();
  return {
    ...scores(perQuestion),
    k,
    byKind: Object.fromEntries(kinds.map((kind) => [kind, scores(perQuestion.filter((r) => r.kind === kind))])),
    skipped: questions.length - scored.length,
    perQuestion,
    ...weakFlagOf(perQuestion),
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}

function isRetrievedFiches(found: readonly string[] | RetrievedFiches): found is RetrievedFiches {
  return !Array.isArray(found);
}

/** The flag's figures, when every question's search told its flag. */
function weakFlagOf(results: readonly EvalQuestionResult[]): { weakFlag?: WeakFlagFigures } {
  if (results.length === 0 || results.some((r) => r.weak === undefined)) return {};
  const absent = (r: EvalQuestionResult) => r.rank === null || r.rank > 5;
  const flagged = results.filter((r) => r.weak);
  const others = results.filter((r) => !r.weak);
  return {
    weakFlag: {
      flagged: flagged.length,
      flaggedAbsent: flagged.filter(absent).length,
      notFlagged: others.length,
      notFlaggedAbsent: others.filter(absent).length,
    },
  };
}

/** Recall@1, recall@5 and MRR of ranked results. */
export function scores(results: readonly Pick<EvalQuestionResult, 'rank'>[]): RetrievalScores {
  const share = (test: (r: Pick<EvalQuestionResult, 'rank'>) => boolean) => (results.length ? results.filter(test).length / results.length : 0);
  return {
    questions: results.length,
    recallAt1: share((r) => r.rank === 1),
    recallAt5: share((r) => r.rank !== null && r.rank <= 5),
    mrr: results.length ? results.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / results.length : 0,
  };
}

/** The `p`-th percentile (nearest rank) of `values`, rounded to 0.01; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0) * 100) / 100;
}
