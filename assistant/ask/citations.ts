/** One `[n]` reference found in a drafted answer. */
export interface CitationMark {
  n: number;
  /** Offsets of the whole bracket in the answer text. */
  start: number;
  end: number;
}

/**
 * Finds the extract numbers an answer cites: `[1]`, `[1, 3]`, `[1 ; 3]`, `[1-3]` (a range), `[1][2]`, `[n°2]`,
 * `[extrait 2]`. Numbers are as written (1-based); whether they exist is checked by {@link mapCitations}.
 * Brackets holding anything else (`[à compléter]`, Markdown links) are not citations.
 */
export function parseCitations(text: string): CitationMark[] {
  const marks: CitationMark[] = [];
  const bracket = /\[(?:n°\s*|extraits?\s+|source\s+)?(\d{1,3}(?:\s*(?:[,;]|et|-|–)\s*\d{1,3})*)\]/giu;
  for (const match of text.matchAll(bracket)) {
    const start = match.index;
    const end = start + match[0].length;
    for (const n of expand(match[1] ?? '')) marks.push({ n, start, end });
  }
  return marks;
}

function expand(list: string): number[] {
  const numbers: number[] = [];
  for (const part of list.split(/\s*(?:[,;]|\bet\b)\s*/u)) {
    const range = part.match(/^(\d+)\s*[-–]\s*(\d+)$/u);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      // A range of extracts is short; a long one is a misread date or amount.
      if (to >= from && to - from < 10) for (let n = from; n <= to; n++) numbers.push(n);
    } else if (/^\d+$/u.test(part)) numbers.push(Number(part));
  }
  return numbers;
}

/** How the answer's citations map onto the extracts it was given. */
export interface CitationCheck<E> {
  /** Extracts cited, in order of first citation, each once. */
  cited: { n: number; extract: E }[];
  /** Numbers cited that match no extract (the model invented them). */
  invalid: number[];
  /** Share of citation marks that point to a provided extract: 1 when all do, 1 when there are none. */
  validity: number;
  total: number;
}

/** Maps `[n]` marks to the extracts numbered 1…N that the prompt gave. */
export function mapCitations<E>(text: string, extracts: readonly E[]): CitationCheck<E> {
  const marks = parseCitations(text);
  const cited: CitationCheck<E>['cited'] = [];
  const invalid: number[] = [];
  let valid = 0;
  for (const { n } of marks) {
    const extract = extracts[n - 1];
    if (extract === undefined || n < 1) {
      if (!invalid.includes(n)) invalid.push(n);
      continue;
    }
    valid += 1;
    if (!cited.some((c) => c.n === n)) cited.push({ n, extract });
  }
  return { cited, invalid, validity: marks.length === 0 ? 1 : valid / marks.length, total: marks.length };
}
