import { roughStem, tokenize } from '../../corpus/search/frenchText.js';
import { estimateTokens } from './promptBudget.js';

/** Marks the sentences left out between two kept ones: the model and the agent see that the passage goes on. */
export const GAP = ' […] ';

/** Words that say nothing of the subject; the query's own filler words are already gone from its terms. */
const SHORT = 3;

/** The stems a question is about (its terms and expansions, folded by the search). */
export function questionStems(terms: readonly string[]): Set<string> {
  return new Set(terms.flatMap((term) => tokenize(term)).filter((word) => word.length > SHORT).map(roughStem));
}

/**
 * The sentences of a passage that answer a question, within `maxTokens`: each sentence (or list line) is scored by
 * the question's stems it contains (the search already chose the passage by its section and situation); the best are
 * kept in their order, with « […] » where sentences were left out. The first sentence is kept when it fits: it
 * usually says whom the passage concerns (« Si vous êtes majeur… »). A passage that fits is kept whole.
 */
export function answeringSentences(text: string, stems: ReadonlySet<string>, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const sentences = splitSentences(text);
  const scored = sentences.map((sentence, index) => ({ index, sentence, score: scoreOf(sentence, stems) + (index === 0 ? 0.25 : 0) + (index > 0 && scoreOf(sentences[index - 1]!, stems) > 0 ? 0.1 : 0) }));
  const order = [...scored].sort((a, b) => b.score - a.score || a.index - b.index);
  const kept = new Set<number>();
  let used = 0;
  for (const { index, sentence } of order) {
    const cost = estimateTokens(sentence) + 2;
    if (used + cost > maxTokens) continue;
    kept.add(index);
    used += cost;
  }
  if (kept.size === 0) return `${text.slice(0, Math.max(0, maxTokens * 3 - 4))}…`;
  let out = '';
  let last = -1;
  for (const { index, sentence } of scored) {
    if (!kept.has(index)) continue;
    out += last < 0 ? (index > 0 ? GAP.trimStart() : '') : index === last + 1 ? (sentence.startsWith('- ') ? '\n' : ' ') : GAP;
    out += sentence;
    last = index;
  }
  return last < sentences.length - 1 ? `${out}${GAP.trimEnd()}` : out;
}

/** Sentences, and lines of a list, in order. */
function splitSentences(text: string): string[] {
  return text
    .split(/\n+/u)
    .flatMap((line) => line.split(/(?<=[.!?;])\s+(?=[\p{Lu}«(0-9-])/u))
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

function scoreOf(sentence: string, stems: ReadonlySet<string>): number {
  // A breadcrumb, a heading or a list marker alone (« > », « **Conditions** ») answers nothing.
  if ((sentence.match(/\p{L}{4,}/gu) ?? []).length < 4) return -1;
  const found = new Set(tokenize(sentence).filter((word) => word.length > SHORT).map(roughStem).filter((stem) => stems.has(stem)));
  return found.size;
}
