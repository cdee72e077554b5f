import type { FicheFields } from './ficheFields.js';
import { distinctFicheStems, ficheStems } from './ficheTextIndex.js';

/**
 * Which fiches mention which words, anywhere in their text (title, breadcrumb, headings, introduction, the words of
 * the fiches that point to them, the phrasings people use to ask for them, and every passage), with no weights: the
 * evidence that a fiche holds the question's words even when no single passage holds them all. A question is rarely
 * answered by one passage that repeats its words: « mon mari est décédé… une partie de sa retraite » is a fiche that says « décédé » in one passage and
 * « retraite » in another, where a narrower fiche about the pension's amount says « retraite » everywhere.
 */
export interface StoredFicheMentions {
  /** 2 since the phrasings count as mentions: a file of version 1 lacks them and is rebuilt from the tables at open. */
  version: 2;
  keys: string[];
  /**
   * Per stem, the numbers of the fiches that mention it, ascending, each as its gap from the previous one, in base 36,
   * space-separated: one string per stem reads back twice as fast as arrays of numbers, at each engine start.
   */
  mentions: Record<string, string>;
}

/** A question's concept: one subject word and the words it stands for (« cni » → carte, identité), any of which names it. */
export type Concept = readonly string[];

export class FicheMentions {
  private readonly docOf: ReadonlyMap<string, number>;
  /** Decoded lists, by stem: a stored index is decoded stem by stem when a question asks for it, not all at open. */
  private readonly decoded = new Map<string, Int32Array>();

  private constructor(
    private readonly keys: readonly string[],
    private readonly gaps: Readonly<Record<string, string>>,
  ) {
    this.docOf = new Map(keys.map((key, doc) => [key, doc]));
  }

  static fromFields(fiches: readonly FicheFields[]): FicheMentions {
    const lists = new Map<string, number[]>();
    fiches.forEach((fiche, doc) => {
      const text = [fiche.title, fiche.trail, fiche.headings, fiche.summary, fiche.inbound, fiche.asked, fiche.body].join('\n');
      for (const stem of distinctFicheStems(text)) {
        const list = lists.get(stem);
        if (list) list.push(doc);
        else lists.set(stem, [doc]);
      }
    });
    const gaps = Object.fromEntries([...lists].map(([stem, docs]) => [stem, encodeGaps(docs)]));
    return new FicheMentions(fiches.map((fiche) => fiche.key), gaps);
  }

  /** The stored form, or `undefined` when it is not one this code wrote (then the caller builds it again). */
  static fromStored(stored: unknown): FicheMentions | undefined {
    const data = stored as Partial<StoredFicheMentions> | null;
    if (data?.version !== 2 || !Array.isArray(data.keys) || typeof data.mentions !== 'object' || data.mentions === null) return undefined;
    if (!Object.values(data.mentions).every((gaps) => typeof gaps === 'string')) return undefined;
    return new FicheMentions(data.keys, data.mentions);
  }

  toStored(): StoredFicheMentions {
    return { version: 2, keys: [...this.keys], mentions: { ...this.gaps } };
  }

  /**
   * For each fiche key, the share of the question's information its text holds: each concept weighs its rarity (idf
   * over the fiches, of its own word, or of its rarest stand-in when the corpus never uses the word), and counts when
   * the fiche mentions any of its words. Concepts no fiche mentions say nothing about any fiche and are left out.
   * 0 for an unknown key, or when no concept is known.
   */
  coverage(keys: readonly string[], concepts: readonly Concept[]): Map<string, number> {
    const weighed = concepts.flatMap((words) => {
      const lists = words.map((word) => this.docsOf(word));
      const known = lists.filter((docs): docs is Int32Array => docs !== undefined);
      if (known.length === 0) return [];
      const own = lists[0];
      return [{ lists: known, weight: own ? this.idf(own) : Math.max(...known.map((docs) => this.idf(docs))) }];
    });
    const total = weighed.reduce((sum, concept) => sum + concept.weight, 0);
    const result = new Map<string, number>();
    for (const key of keys) {
      const doc = this.docOf.get(key);
      if (doc === undefined || total === 0) {
        result.set(key, 0);
        continue;
      }
      const held = weighed.filter((concept) => concept.lists.some((docs) => holds(docs, doc))).reduce((sum, concept) => sum + concept.weight, 0);
      result.set(key, held / total);
    }
    return result;
  }

  /** The fiches mentioning a word (any inflection its rough stem joins), `undefined` when none does. */
  private docsOf(word: string): Int32Array | undefined {
    const [stem] = ficheStems(word);
    return stem === undefined ? undefined : this.listOf(stem);
  }

  private listOf(stem: string): Int32Array | undefined {
    const cached = this.decoded.get(stem);
    if (cached) return cached;
    const encoded = Object.hasOwn(this.gaps, stem) ? this.gaps[stem] : undefined;
    if (typeof encoded !== 'string') return undefined;
    const gaps = encoded.split(' ');
    const docs = new Int32Array(gaps.length);
    let doc = 0;
    for (let at = 0; at < gaps.length; at++) docs[at] = doc += parseInt(gaps[at] ?? '0', 36);
    this.decoded.set(stem, docs);
    return docs;
  }

  /** BM25's idf of a word mentioned by these fiches. */
  private idf(docs: Int32Array): number {
    return Math.log(1 + (this.keys.length - docs.length + 0.5) / (docs.length + 0.5));
  }
}

/** Ascending numbers as their gaps, in base 36, space-separated (see StoredFicheMentions). */
function encodeGaps(docs: readonly number[]): string {
  return docs.map((doc, at) => (doc - (at === 0 ? 0 : (docs[at - 1] ?? 0))).toString(36)).join(' ');
}

/** Binary search in an ascending list. */
function holds(docs: Int32Array, doc: number): boolean {
  let low = 0;
  let high = docs.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const value = docs[middle] ?? 0;
    if (value === doc) return true;
    if (value < doc) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
