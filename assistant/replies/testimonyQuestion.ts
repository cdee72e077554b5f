/** Does a citizen's testimony ask something? Then the reply should answer it from the fiches. */
import { fold } from '../../corpus/search/frenchText.js';

/**
 * Interrogative forms, on folded text: question words, « est-ce que », inverted subjects (« puis-je », « faut-il »,
 * « pourriez-vous », « a-t-on ») and indirect requests (« je voudrais savoir »). Testimonies often ask without a
 * question mark.
 */
const QUESTION_PATTERNS: readonly RegExp[] = [
  /(^|[^\p{L}])(comment|pourquoi|quand|combien|lequel|laquelle|lesquel(le)?s)(?![\p{L}])/u,
  /(^|[^\p{L}])quel(le)?s? /u,
  /(^|[^\p{L}])est[- ]ce (que|qu')/u,
  /(^|[^\p{L}])[\p{L}]+-t-(il|elle|on)(?![\p{L}])/u,
  // « rendez-vous » is a noun, in almost every testimony.
  /(^|[^\p{L}])(?!rendez-vous)[\p{L}]{2,}-(je|tu|il|elle|on|nous|vous|ils|elles)(?![\p{L}-])/u,
  /(^|[^\p{L}])(je voudrais|j'aimerais|je souhaiterais|je souhaite|j'ai besoin de|merci de me dire|pouvez-vous me dire) (savoir|connaitre|comprendre)/u,
];

/** Longest search query taken from a testimony, characters. */
const QUERY_MAX = 300;
/** A question shorter than this (« Pourquoi ? ») says too little: the search gets the testimony's start instead. */
const QUERY_MIN = 40;

/** True when the sentence (or text) asks a question: a « ? » or an interrogative form. */
export function asksQuestion(text: string): boolean {
  if (text.includes('?')) return true;
  const folded = fold(text).replace(/[’']/g, "'");
  return QUESTION_PATTERNS.some((pattern) => pattern.test(folded));
}

/**
 * What to search the fiches for: the testimony's asking sentences, joined (at most 300 characters); `undefined` when
 * the testimony asks nothing — then the reply acknowledges and explains without citing fiches.
 */
export function questionOf(testimony: string): string | undefined {
  const sentences = testimony
    .split(/(?<=[.!?…])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
  const asking = sentences.filter(asksQuestion);
  if (asking.length === 0) return undefined;
  const joined = asking.join(' ');
  const query = joined.length >= QUERY_MIN ? joined : testimony.replace(/\s+/g, ' ').trim();
  return query.slice(0, QUERY_MAX);
}
