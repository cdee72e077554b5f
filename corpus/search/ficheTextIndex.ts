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
/**
 * The index as the generation stores it (`fiche-text-index.json`, written at import): building it means stemming
 * every fiche's text, most of a second at each engine start on 2 vCPUs, where reading it back takes milliseconds.
 */
export interface StoredFicheTextIndex {
  version: 1;
  keys: string[];
  lengths: number[];
  /** Per stem, flat pairs: document number, term frequency. */
  postings: Record<string, number[]>;
}

export class FicheTextIndex {
  private readonly averageLength: number;

  private constructor(
    private readonly keys: readonly string[],
    private readonly lengths: readonly number[],
    private readonly postings: ReadonlyMap<string, readonly number[]>,
  ) {
    this.averageLength = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length);
  }

  static fromTexts(texts: readonly FicheText[]): FicheTextIndex {
    const postings = new Map<string, number[]>();
    const lengths = texts.map((fiche, doc) => {
      const stems = stemsOf(fiche.text);
      const counts = new Map<string, number>();
      for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
      for (const [stem, tf] of counts) {
        const list = postings.get(stem) ?? [];
        list.push(doc, tf);
        postings.set(stem, list);
      }
      return stems.length;
    });
    return new FicheTextIndex(texts.map((fiche) => fiche.key), lengths, postings);
  }

  /** The stored form, or `undefined` when it is not one this code wrote (then the caller builds it again). */
  static fromStored(stored: unknown): FicheTextIndex | undefined {
    const data = stored as Partial<StoredFicheTextIndex> | null;
    if (data?.version !== 1 || !Array.isArray(data.keys) || !Array.isArray(data.lengths) || typeof data.postings !== 'object') return undefined;
    return new FicheTextIndex(data.keys, data.lengths, new Map(Object.entries(data.postings)));
  }

  toStored(): StoredFicheTextIndex {
    return { version: 1, keys: [...this.keys], lengths: [...this.lengths], postings: Object.fromEntries(this.postings) as Record<string, number[]> };
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
    const total = this.keys.length;
    for (const stem of stems) {
      const list = this.postings.get(stem);
      if (!list) {
        if (requireAll) return [];
        continue;
      }
      const documents = list.length / 2;
      const idf = Math.log(1 + (total - documents + 0.5) / (documents + 0.5));
      for (let at = 0; at < list.length; at += 2) {
        const doc = list[at] ?? 0;
        const tf = list[at + 1] ?? 0;
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
      const key = this.keys[doc];
      if (key !== undefined && accept(key)) hits.push({ key, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

function stemsOf(text: string): string[] {
  return tokenize(text).filter((token) => token.length > 1 && !STOP_WORDS.has(token)).map(roughStem);
}
