/**
 * Regex building blocks and the context look-behind shared by the PII detectors. Every pattern here is a source
 * string, to be composed into a regex with the `u` flag (they use Unicode property escapes).
 */
import type { PiiCandidate, PiiKind } from './piiMatch.js';

/** Characters people put between groups of digits: space, no-break spaces, dot, dash. */
export const DIGIT_SEPARATOR = '[ .\\-\\u00A0\\u202F]';

/** Horizontal white space only: a name or an address does not continue on the next line. */
export const BLANK = '[ \\t\\u00A0\\u202F]';

/** Not glued to a letter or digit on the left (JS `\b` only knows ASCII letters: « é » would count as a boundary). */
export const WORD_START = '(?<![\\p{L}\\p{N}_])';

/** Not glued to a letter or digit on the right. */
export const WORD_END = '(?![\\p{L}\\p{N}_])';

/**
 * Left edge of a number: not glued to a letter or digit, nor the tail of a longer digit sequence written with
 * separators (« 12 34 567 … » must not yield a match starting at « 34 »).
 */
export const NUMBER_START = `(?<![\\p{L}\\p{N}_]|\\p{N}${DIGIT_SEPARATOR})`;

/** Right edge of a number: the mirror of {@link NUMBER_START}. */
export const NUMBER_END = `(?![\\p{L}\\p{N}_]|${DIGIT_SEPARATOR}\\p{N})`;

/**
 * What may sit between a context phrase and a strictly shaped value (NIR, IBAN, tax number, birth date): up to 30
 * characters without digits, so « numéro de sécurité sociale de l'assuré : 1 85 … » still counts but a phrase two
 * numbers back does not. Sentence breaks are cut off beforehand by {@link hasContextBefore}.
 */
export const LOOSE_GAP = '[^\\p{N};!?]{0,30}$';

/**
 * What may sit between a context phrase and a loosely shaped value (a bare run of digits for a CAF number): only
 * punctuation, « n° », « est », « le ». « numéro CAF est le 1234567 » counts; « numéro CAF … montant 1234567 » not.
 */
export const TIGHT_GAP = '(?:[\\s:=–\\-]|est|n°|no\\.?|le)*$';

/** How far back a context phrase is looked for, in characters. Longer than any phrase plus its gap. */
const CONTEXT_WINDOW = 80;

/**
 * A sentence break: end punctuation or a line break, then a capital. A line break before the value itself does not
 * count (« Date de naissance :⏎03/05/1985 » in a pasted form). Kept apart from the context regexes, which are
 * case-insensitive (under `iu`, `\p{Lu}` matches lower case too).
 */
const SENTENCE_BREAK = /(?:[.!?;…]\s+|\n\s*)(?=\p{Lu})/gu;

/**
 * Whether `context` (a regex anchored with `$`, see {@link LOOSE_GAP}) matches the text just before `index`, within
 * the same sentence: « Date de naissance : inconnue. Dépôt le 03/05/2024 » is no birth date. Only a short window is
 * examined, so the cost does not grow with the text.
 */
export function hasContextBefore(text: string, index: number, context: RegExp): boolean {
  let window = text.slice(Math.max(0, index - CONTEXT_WINDOW), index);
  let sentenceStart = 0;
  for (const end of window.matchAll(SENTENCE_BREAK)) sentenceStart = end.index + end[0].length;
  window = window.slice(sentenceStart);
  return context.test(window);
}

/** A candidate match covering `text.slice(start, end)`. */
export function candidate(kind: PiiKind, text: string, start: number, end: number, priority: number): PiiCandidate {
  return { kind, start, end, text: text.slice(start, end), priority };
}

/** A candidate covering a whole regex match. */
export function matchCandidate(
  kind: PiiKind,
  text: string,
  match: { index: number; 0: string },
  priority: number,
): PiiCandidate {
  return candidate(kind, text, match.index, match.index + match[0].length, priority);
}

/** The value without separators, upper-cased: « fr76 3000 … » → « FR763000… ». */
export function compact(value: string): string {
  return value.replace(/[\s.\-–/]/g, '').toUpperCase();
}
