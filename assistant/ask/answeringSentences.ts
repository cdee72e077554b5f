import { roughStem, tokenize } from '../../corpus/search/frenchText.js';
import { type PassageUnit, passageUnits, scoreUnits, stemWeights } from './passageUnits.js';
import { estimateTokens } from './promptBudget.js';

/** Marks the sentences left out between two kept ones: the model and the agent see that the passage goes on. */
export const GAP = ' […] ';

/**
 * The stems a question is about: its subject words (the search already removed its question words and politeness, so
 * a short one is meant: « nom », « CDD ») and the longer words of their expansions (acronyms spelt out, synonyms).
 */
export function questionStems(terms: readonly string[], expansions: readonly string[] = []): Set<string> {
  const words = (list: readonly string[], shortest: number) => list.flatMap((term) => tokenize(term)).filter((word) => word.length >= shortest);
  return new Set([...words(terms, 3), ...words(expansions, 4)].map(roughStem));
}

/**
 * A passage's kept units in their order: a list item or a new paragraph on its own line, a sentence after the
 * previous one, « […] » where units were left out (and at the ends when the passage goes on).
 */
export function renderUnits(units: readonly PassageUnit[], kept: ReadonlySet<number>): string {
  let out = '';
  let last = -1;
  for (const unit of units) {
    if (!kept.has(unit.index)) continue;
    out += last < 0 ? (unit.index > 0 ? GAP.trimStart() : '') : unit.index === last + 1 ? (unit.ownLine ? '\n' : ' ') : GAP;
    out += unit.text;
    last = unit.index;
  }
  return last >= 0 && last < units.length - 1 ? `${out}${GAP.trimEnd()}` : out;
}

/**
 * The units of one passage that answer a question, within `maxTokens`: the best scored first ({@link scoreUnits}),
 * written in their order. A passage that fits is kept whole; one where nothing fits is cut after its first words.
 */
export function answeringSentences(text: string, stems: ReadonlySet<string>, maxTokens: number, options: { introduction?: boolean } = {}): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const units = passageUnits(text, stems, options);
  const scores = scoreUnits(units, stemWeights(units));
  const order = units.map((unit) => unit.index).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept = new Set<number>();
  for (const index of order) {
    const candidate = new Set([...kept, index]);
    if (estimateTokens(renderUnits(units, candidate)) <= maxTokens) kept.add(index);
  }
  if (kept.size === 0) return `${text.slice(0, Math.max(0, maxTokens * 3 - 4))}…`;
  return renderUnits(units, kept);
}
