import { baseForms, editDistance, fold, surfaceTokens, wholeRoughStem } from './frenchText.js';

/** The corpus' words, built at import and stored with the index. */
export interface Vocabulary {
  /** Folded word → number of passages it occurs in. */
  counts: Record<string, number>;
  /** Folded word → its most frequent spelling in the corpus, when it has accents (« paternite » → « paternité »). */
  surfaces: Record<string, string>;
}

/** Counts in how many texts each word (3 letters or more, not a number) occurs, and how it is usually spelt. */
export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const surface of surfaceTokens(text)) {
      const folded = fold(surface);
      if (folded.length < 3 || /\d/.test(folded)) continue;
      const forms = spellings.get(folded) ?? new Map<string, number>();
      forms.set(surface, (forms.get(surface) ?? 0) + 1);
      spellings.set(folded, forms);
      if (seen.has(folded)) continue;
      seen.add(folded);
      counts.set(folded, (counts.get(folded) ?? 0) + 1);
    }
  }
  // The most frequent spelling wins: « a » the verb stays « a », « paternite » becomes « paternité ».
  const surfaces: Record<string, string> = {};
  for (const [folded, forms] of spellings) {
    const best = [...forms].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (best !== undefined && best !== folded) surfaces[folded] = best;
  }
  return { counts: Object.fromEntries(counts), surfaces };
}

const CORRECTORS = new WeakMap<Vocabulary, SpellingCorrector>();

/**
 * Typo tolerance: an unknown word is mapped to the most frequent corpus word within a small edit distance
 * (1 for words of 5–6 letters, 2 beyond; shorter words are left alone: too many near neighbours, « sécu » is not « secs »). The first
 * letter is trusted (or the second, for a swap of the first two), which keeps a lookup under a millisecond. Before
 * that, a word that is another inflection of a corpus word goes to that word, and one whose stem the corpus has stays
 * as typed: the nearest frequent word made « soirs » into « soins » and « humilie » into « humidité ».
 */
export class SpellingCorrector {
  /**
   * Words by `length:firstLetter`, most frequent first: a typo rarely touches the first letter. Built at the first
   * unknown word, not at the engine's start (a tenth of a second that most questions never need).
   */
  private bucketsByKey?: Map<string, { word: string; count: number }[]>;
  private stemsOfWords?: Set<string>;

  private readonly counts: Record<string, number>;
  private readonly surfaces: Record<string, string>;

  constructor(
    vocabulary: Vocabulary,
    private readonly minCount = 2,
  ) {
    this.counts = vocabulary.counts;
    this.surfaces = vocabulary.surfaces;
  }

  /**
   * The corrector of a vocabulary, made once: its buckets and stems are built at its first unknown word, and a weight
   * fit searches the same index with a new FicheSearch at every trial.
   */
  static of(vocabulary: Vocabulary): SpellingCorrector {
    let corrector = CORRECTORS.get(vocabulary);
    if (!corrector) {
      corrector = new SpellingCorrector(vocabulary);
      CORRECTORS.set(vocabulary, corrector);
    }
    return corrector;
  }

  private get buckets(): Map<string, { word: string; count: number }[]> {
    if (this.bucketsByKey) return this.bucketsByKey;
    const buckets = new Map<string, { word: string; count: number }[]>();
    for (const [word, count] of Object.entries(this.counts)) {
      if (count < this.minCount) continue;
      const key = `${word.length}:${word[0]}`;
      const bucket = buckets.get(key) ?? [];
      bucket.push({ word, count });
      buckets.set(key, bucket);
    }
    for (const bucket of buckets.values()) bucket.sort((a, b) => b.count - a.count);
    this.bucketsByKey = buckets;
    return buckets;
  }

  /** How the corpus spells a folded word (accents restored), or `undefined` when it has no accented form. */
  spelling(folded: string): string | undefined {
    return this.surfaces[folded];
  }

  /** True when the corpus has the word (folded). */
  knows(token: string): boolean {
    return Object.hasOwn(this.counts, token);
  }

  /** The stems of the corpus' words (as the passage index cuts them), built at the first unknown word. */
  private get stems(): Set<string> {
    this.stemsOfWords ??= new Set(Object.keys(this.counts).filter((word) => (this.counts[word] ?? 0) >= this.minCount).map(wholeRoughStem));
    return this.stemsOfWords;
  }

  /** The correction of an unknown word, or `undefined` when the word is known or nothing is close enough. */
  correct(token: string): string | undefined {
    if (token.length < 5 || /\d/.test(token) || this.knows(token)) return undefined;
    // Another inflection of a corpus word is no typo: the corpus' own form (« soirs » → « soir », « pacsée » →
    // « pacsé »), else the word as typed when the corpus has its stem (« humilie », not « humidité »).
    const inflected = inflections(token).find((form) => (this.counts[form] ?? 0) >= this.minCount);
    if (inflected) return inflected;
    if (this.stems.has(wholeRoughStem(token))) return undefined;
    const max = token.length <= 6 ? 1 : 2;
    // First letters: the typed one, and the second one for a swap of the first two (« lacation »).
    const firstLetters = new Set([token[0], token[1]]);
    let best: { word: string; count: number; distance: number } | undefined;
    const buckets = this.buckets;
    for (let length = token.length - max; length <= token.length + max; length++) {
      for (const first of firstLetters) {
        for (const candidate of buckets.get(`${length}:${first}`) ?? []) {
          if (best && candidate.count <= best.count && best.distance <= 1) break;
          const distance = editDistance(token, candidate.word, best ? Math.min(max, best.distance) : max);
          if (distance > max) continue;
          if (!best || distance < best.distance || (distance === best.distance && candidate.count > best.count)) {
            best = { ...candidate, distance };
          }
        }
      }
    }
    return best?.word;
  }
}

/** The other forms a French word takes in number and gender (folded): its base forms, then « -x », « -ées » and added endings. */
function inflections(token: string): string[] {
  const forms = [...baseForms(token), token.replace(/x$/, ''), token.replace(/ees?$/, 'e'), `${token}s`, `${token}e`];
  return [...new Set(forms)].filter((form) => form !== token && form.length >= 3);
}
