import { STOP_WORDS } from './agentVocabulary.js';
import type { FicheFields, FieldName } from './ficheFields.js';
import { fold, roughStem, surfaceTokens, wholeRoughStem } from './frenchText.js';

/** One fiche's text for the fiche-level retriever, as one field (indexes written before fields, tests). */
export interface FicheText {
  key: string;
  text: string;
}

const K1 = 1.2;
const B = 0.75;

/**
 * Weight of each field in BM25F: a word of the title counts three times a word of the introduction. The anchors and
 * question titles of other fiches weigh like the breadcrumb; the headings less, for a fiche names in them the
 * situations it sets apart, not its subject. The phrasings people use to ask for the fiche weigh like its title:
 * measured on the thirty tuning sets (each with the vocabulary the others teach), 1, 2, 3, 4 and 6 gave recall@5
 * 0,902, 0,912, 0,914, 0,913 and 0,915 (0,831 without them).
 */
export const FIELD_WEIGHTS: Readonly<Record<FieldName, number>> = { title: 3, trail: 1.2, headings: 0.6, summary: 0.8, inbound: 1, asked: 3 };

/**
 * BM25F (Robertson, Zaragoza, Taylor 2004) over the fiches' fields, in memory: about 4,000 fiches, scored in well
 * under a millisecond, where asking the index costs a round trip to LanceDB for each of the two variants (any word,
 * every word). Each field's term frequency is normalised by that field's length, weighted, and summed before the
 * BM25 saturation, so a word in several fields counts once but more. Words are compared by rough stems, which also
 * let « déclarer » meet « déclaration ».
 */
/**
 * The index as the generation stores it (`fiche-text-index.json`, written at import): building it means stemming
 * every fiche's fields, most of a second at each engine start on 2 vCPUs, where reading it back takes milliseconds.
 */
export interface StoredFicheTextIndex {
  /** 3 since the phrasings field: a file of version 2 lacks it and is rebuilt from the tables at open. */
  version: 3;
  keys: string[];
  /** Per stem, flat pairs: document number, weighted and length-normalised term frequency (BM25F's tf̃). */
  postings: Record<string, number[]>;
  /** Per document, the fiches that point to it (see FicheFields.inlinks). */
  inlinks: number[];
}

export class FicheTextIndex {
  private readonly inlinksByKey: ReadonlyMap<string, number>;
  /** The most pointed-to fiche's in-links, for a prior in 0–1. */
  readonly maxInlinks: number;

  private constructor(
    private readonly keys: readonly string[],
    private readonly postings: ReadonlyMap<string, readonly number[]>,
    inlinks: readonly number[],
  ) {
    this.inlinksByKey = new Map(keys.map((key, doc) => [key, inlinks[doc] ?? 0]));
    this.maxInlinks = inlinks.reduce((max, count) => Math.max(max, count), 0);
  }

  static fromTexts(texts: readonly FicheText[]): FicheTextIndex {
    return FicheTextIndex.build(texts.map((fiche) => ({ key: fiche.key, fields: [{ text: fiche.text, weight: 1 }], inlinks: 0 })));
  }

  static fromFields(fiches: readonly FicheFields[], weights: Readonly<Record<FieldName, number>> = FIELD_WEIGHTS): FicheTextIndex {
    const names = Object.keys(weights) as FieldName[];
    return FicheTextIndex.build(
      fiches.map((fiche) => ({ key: fiche.key, fields: names.map((name) => ({ text: fiche[name], weight: weights[name] })), inlinks: fiche.inlinks })),
    );
  }

  private static build(docs: readonly { key: string; fields: { text: string; weight: number }[]; inlinks: number }[]): FicheTextIndex {
    const fieldCount = Math.max(0, ...docs.map((doc) => doc.fields.length));
    const stemmed = docs.map((doc) => doc.fields.map((field) => ficheStems(field.text)));
    const averages = Array.from({ length: fieldCount }, (_, f) => stemmed.reduce((sum, fields) => sum + (fields[f]?.length ?? 0), 0) / Math.max(1, docs.length));
    const postings = new Map<string, number[]>();
    docs.forEach((doc, number) => {
      const weighted = new Map<string, number>();
      doc.fields.forEach((field, f) => {
        const stems = stemmed[number]?.[f] ?? [];
        const norm = 1 - B + (B * stems.length) / Math.max(1e-9, averages[f] ?? 1);
        for (const stem of stems) weighted.set(stem, (weighted.get(stem) ?? 0) + field.weight / norm);
      });
      for (const [stem, tf] of weighted) {
        const list = postings.get(stem) ?? [];
        list.push(number, Math.round(tf * 1000) / 1000);
        postings.set(stem, list);
      }
    });
    return new FicheTextIndex(docs.map((doc) => doc.key), postings, docs.map((doc) => doc.inlinks));
  }

  /** The stored form, or `undefined` when it is not one this code wrote (then the caller builds it again). */
  static fromStored(stored: unknown): FicheTextIndex | undefined {
    const data = stored as Partial<StoredFicheTextIndex> | null;
    if (data?.version !== 3 || !Array.isArray(data.keys) || !Array.isArray(data.inlinks) || typeof data.postings !== 'object') return undefined;
    return new FicheTextIndex(data.keys, new Map(Object.entries(data.postings)), data.inlinks);
  }

  toStored(): StoredFicheTextIndex {
    return {
      version: 3,
      keys: [...this.keys],
      postings: Object.fromEntries(this.postings) as Record<string, number[]>,
      inlinks: this.keys.map((key) => this.inlinksByKey.get(key) ?? 0),
    };
  }

  /** How many fiches point to this one (0 when unknown). */
  inlinks(key: string): number {
    return this.inlinksByKey.get(key) ?? 0;
  }

  /**
   * Best fiches for the words, best first.
   * @param accept Filter on fiche keys (audience, source, excluded).
   * @param weights Each word's weight, in order (1 when missing); a stem that several words give keeps the highest.
   */
  search(words: readonly string[], limit: number, accept: (key: string) => boolean, weights: readonly number[] = []): { key: string; score: number }[] {
    const stems = new Map<string, number>();
    words.forEach((word, at) => {
      const weight = weights[at] ?? 1;
      for (const stem of ficheStems(word)) stems.set(stem, Math.max(stems.get(stem) ?? 0, weight));
    });
    if (stems.size === 0) return [];
    const scores = new Map<number, number>();
    const total = this.keys.length;
    for (const [stem, weight] of stems) {
      const list = this.postings.get(stem);
      if (!list) continue;
      const documents = list.length / 2;
      const idf = Math.log(1 + (total - documents + 0.5) / (documents + 0.5));
      for (let at = 0; at < list.length; at += 2) {
        const doc = list[at] ?? 0;
        const tf = list[at + 1] ?? 0;
        scores.set(doc, (scores.get(doc) ?? 0) + (weight * idf * tf * (K1 + 1)) / (tf + K1));
      }
    }
    const hits: { key: string; score: number }[] = [];
    for (const [doc, score] of scores) {
      const key = this.keys[doc];
      if (key !== undefined && accept(key)) hits.push({ key, score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

/**
 * The distinct stems of a long text (a fiche's passages), as `ficheStems` would give them: each word form is looked up
 * once, without the elision pass, which only drops one-letter forms and « qu » (stop words here anyway). Six times
 * faster on the corpus' passages, where the elision test folded every token.
 */
export function distinctFicheStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const surface of new Set(wordForms(text))) {
    const stem = ficheStemOf(surface);
    if (stem !== null) stems.add(stem);
  }
  return stems;
}

/** The stems the fiche-level indexes compare: folded, rough-stemmed, stop words and single letters dropped. */
export function ficheStems(text: string): string[] {
  return stemsOf(text, ficheStemOf);
}

/**
 * The stems the passage index compares: as `ficheStems`, but not cut to 7 letters. The cut joins words a passage must
 * keep apart (« entrepreneur » and « entreprise », « allocation » and « allocataire »): with it, the passage index
 * found 5 fewer gold fiches in the top 5 of the tuning sets (r5 0,789 against 0,801 for LanceDB's Snowball stems).
 */
export function passageStems(text: string): string[] {
  return stemsOf(text, passageStemOf);
}

/** How often each passage stem occurs in a passage (for its BM25), with the shortcut of `distinctFicheStems`. */
export function passageStemCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const surface of wordForms(text)) {
    const stem = passageStemOf(surface);
    if (stem !== null) counts.set(stem, (counts.get(stem) ?? 0) + 1);
  }
  return counts;
}

type StemOf = (surface: string) => string | null;

function stemsOf(text: string, stemOf: StemOf): string[] {
  const stems: string[] = [];
  for (const surface of surfaceTokens(text)) {
    const stem = stemOf(surface);
    if (stem !== null) stems.push(stem);
  }
  return stems;
}

function wordForms(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

const STEM_CACHE_LIMIT = 200_000;

/**
 * Stem of a word form (`null`: a stop word or a letter), cached: the corpus repeats its words, stemming each form
 * once halves the build.
 */
function cachedStemmer(stemmer: (token: string) => string): StemOf {
  const cache = new Map<string, string | null>();
  return (surface) => {
    let stem = cache.get(surface);
    if (stem === undefined) {
      const token = fold(surface);
      stem = token.length > 1 && !STOP_WORDS.has(token) ? stemmer(token) : null;
      if (cache.size >= STEM_CACHE_LIMIT) cache.clear();
      cache.set(surface, stem);
    }
    return stem;
  };
}

const ficheStemOf = cachedStemmer(roughStem);
const passageStemOf = cachedStemmer(wholeRoughStem);
