import { STOP_WORDS } from './agentVocabulary.js';
import { roughStem, tokenize } from './frenchText.js';

/** One fiche's text for the fiche-level retriever: title (twice), breadcrumb, description. */
export interface FicheText {
  key: string;
  text: string;
}

const K1 = 1.2;
const B = 0.75;

/**
 * BM25 over the fiches' titles, breadcrumbs and descriptions, in memory: about 4,000 short texts, scored in well
 * under a millisecond, where asking the index costs a round trip to LanceDB for each of the two variants (any word,
 * every word). Words are compared by rough stems, which also let « déclarer » meet « déclaration ».
 */
export class FicheTextIndex {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly averageLength: number;

  constructor(private readonly texts: readonly FicheText[]) {
    texts.forEach((fiche, doc) => {
      const stems = stemsOf(fiche.text);
      this.lengths.push(stems.length);
      const counts = new Map<string, number>();
      for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
      for (const [stem, tf] of counts) {
        const list = this.postings.get(stem) ?? [];
        list.push({ doc, tf });
        this.postings.set(stem, list);
      }
    });
    this.averageLength = this.lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, this.lengths.length);
  }

  /**
   * Best fiches for the words, best first.
   * @param requireAll Only fiches holding every word (AND): precise for short questions.
   * @param accept Filter on fiche keys (audience, source, excluded).
   */
  search(words: readonly string[], limit: number, accept: (key: string) => boolean, requireAll = false): { key: string; score: number }[] {
    const stems = [...new Set(words.flatMap(stemsOf))];
    if (stems.length === 0) return [];
    const scores = new Map<number, { score: number; matched: number }>();
    const total = this.texts.length;
    for (const stem of stems) {
      const list = this.postings.get(stem);
      if (!list) {
        if (requireAll) return [];
        continue;
      }
      const idf = Math.log(1 + (total - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = tf + K1 * (1 - B + (B * (this.lengths[doc] ?? 0)) / this.averageLength);
        const entry = scores.get(doc) ?? { score: 0, matched: 0 };
        entry.score += (idf * tf * (K1 + 1)) / norm;
        entry.matched += 1;
        scores.set(doc, entry);
      }
    }
    const hits: { key: string; score: number }[] = [];
    for (const [doc, { score, matched }] of scores) {
      if (requireAll && matched < stems.length) continue;
      const key = this.texts[doc]?.key;
      if (key !== undefined && accept(key)) hits.push({ key, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

function stemsOf(text: string): string[] {
  return tokenize(text).filter((token) => token.length > 1 && !STOP_WORDS.has(token)).map(roughStem);
}
