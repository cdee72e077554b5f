import { editDistance, tokenize } from './frenchText.js';

/** Folded word → number of passages it occurs in. Built at import, stored with the index. */
export type Vocabulary = Record<string, number>;

/** Counts in how many texts each folded word (3 letters or more, not a number) occurs. */
export function buildVocabulary(texts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const token of new Set(tokenize(text))) {
      if (token.length < 3 || /\d/.test(token)) continue;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
  }
  return Object.fromEntries(counts);
}

/**
 * Typo tolerance: an unknown word is mapped to the most frequent corpus word within a small edit distance
 * (1 for words of 4–6 letters, 2 beyond; shorter words are left alone: too many near neighbours).
 */
export class SpellingCorrector {
  private readonly byLength = new Map<number, { word: string; count: number }[]>();

  constructor(private readonly vocabulary: Vocabulary, private readonly minCount = 2) {
    for (const [word, count] of Object.entries(vocabulary)) {
      if (count < minCount) continue;
      const bucket = this.byLength.get(word.length) ?? [];
      bucket.push({ word, count });
      this.byLength.set(word.length, bucket);
    }
    for (const bucket of this.byLength.values()) bucket.sort((a, b) => b.count - a.count);
  }

  /** True when the corpus has the word (folded). */
  knows(token: string): boolean {
    return Object.hasOwn(this.vocabulary, token);
  }

  /** The correction of an unknown word, or `undefined` when the word is known or nothing is close enough. */
  correct(token: string): string | undefined {
    if (token.length < 4 || /\d/.test(token) || this.knows(token)) return undefined;
    const max = token.length <= 6 ? 1 : 2;
    let best: { word: string; count: number; distance: number } | undefined;
    for (let length = token.length - max; length <= token.length + max; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (best && candidate.count <= best.count && best.distance <= 1) break;
        const distance = editDistance(token, candidate.word, best ? Math.min(max, best.distance) : max);
        if (distance > max) continue;
        if (!best || distance < best.distance || (distance === best.distance && candidate.count > best.count)) {
          best = { ...candidate, distance };
        }
      }
    }
    return best?.word;
  }
}
