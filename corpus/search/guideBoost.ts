import { audienceOfKey, ficheIdOfKey } from '../fiche.js';

/** A ranked candidate: a fiche key (`audience:id`) and its fused score. */
export interface Scored {
  key: string;
  score: number;
}

/** The « comment faire si » guides (« Je me sépare »), each with the ids of the fiches it sends the reader to. */
export type GuideLinks = ReadonlyMap<string, ReadonlySet<string>>;

/** Head fiches a guide is compared with. */
const DEPTH = 10;
/**
 * A guide pointing to all the head gains about six title matches (ficheSearch.ts); pointing to a few of the best, much
 * less. Fitted with the re-rank weights (docs/recherche.md, 2026-12-04: 0,792 before the fiches' phrasings, 0,55 before
 * that, on fewer situations).
 */
export const GUIDE_WEIGHT = 1.106;

/**
 * A long situation (« il vient de perdre son père, la mairie, la banque, la caisse de retraite… ») spreads over several
 * fiches, and the page that says what to do first is the guide that points to them, which rank fusion never sees: it
 * shares few words with any one concern. Each guide of the head's audiences gains in proportion to the rank-weighted
 * share of the head it points to, and is inserted when absent. The gain brings a guide up to third place, never
 * higher: the two fiches that match the question best keep their places (a guide that ranks higher by its own score
 * keeps its rank). Placed second instead, it pushed more gold fiches from second to third than it brought in.
 */
export function withGuides(head: readonly Scored[], guides: GuideLinks, weight = GUIDE_WEIGHT): Scored[] {
  const top = head.slice(0, DEPTH);
  const ceiling = top[1]?.score ?? top[0]?.score;
  if (ceiling === undefined) return [...head];
  const weights = top.map((_, rank) => 1 / (rank + 2));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const audiences = new Set(top.slice(0, 5).map((entry) => audienceOfKey(entry.key)));
  const scores = new Map(head.map((entry) => [entry.key, entry.score]));
  for (const [guide, links] of guides) {
    if (!audiences.has(audienceOfKey(guide))) continue;
    const pointed = top.reduce((sum, entry, rank) => sum + (links.has(ficheIdOfKey(entry.key)) ? (weights[rank] ?? 0) : 0), 0);
    if (pointed === 0) continue;
    const own = scores.get(guide) ?? 0;
    scores.set(guide, Math.max(own, Math.min(own + (weight * pointed) / total, ceiling * (1 - 1e-9))));
  }
  return [...scores].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}
