/** One retriever's results, best first, as fiche keys; `weight` scales its votes. */
export interface RankedList {
  keys: readonly string[];
  weight: number;
}

/**
 * Rank constant of reciprocal rank fusion. Cormack et al. (2009) use 60; fitted on the tuning sets with the re-rank
 * weights (docs/recherche.md), 4,3 gives the first ranks of each retriever more say, which is what a short question
 * against one well-titled fiche needs (7,2 before the fiches' phrasings).
 */
export const RRF_K = 4.284;

/**
 * Reciprocal rank fusion: each list votes weight / (RRF_K + rank) for each key, at its first occurrence only
 * (a fiche found through several passages counts once per retriever). Ties keep the first list's order.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k = RRF_K): { key: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    let rank = 0;
    for (const key of list.keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      rank++;
      scores.set(key, (scores.get(key) ?? 0) + list.weight / (k + rank));
    }
  }
  return [...scores.entries()].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}
