/** The fiches a reply cites: its `[n]` markers mapped back to the numbered extracts of the prompt. */
import { parseCitations } from '../ask/citations.js';

/** One extract given to the model, numbered from 1 in the prompt. */
export interface ReplyExtract {
  n: number;
  ficheId: string;
  title: string;
  url: string;
  /** Date of the fiche's last update, as the index gives it. */
  date: string;
  text: string;
}

/** A fiche the reply cites, by the number it uses. */
export interface ReplyCitation {
  n: number;
  ficheId: string;
  title: string;
  url: string;
}

/**
 * Maps the reply's markers (found by the answers' one citation parser) to the extracts, in order of first citation,
 * each number once. A number with no extract (the model invented it) is dropped from the citations and from its
 * marker, and a marker left empty is removed with the blank before it, so that the published reply never points to
 * nothing.
 */
export function mapCitations(reply: string, extracts: readonly ReplyExtract[]): { text: string; citations: ReplyCitation[] } {
  const byNumber = new Map(extracts.map((extract) => [extract.n, extract]));
  const citations: ReplyCitation[] = [];
  const brackets = new Map<number, { end: number; numbers: number[] }>();
  for (const mark of parseCitations(reply)) {
    const bracket = brackets.get(mark.start) ?? { end: mark.end, numbers: [] };
    bracket.numbers.push(mark.n);
    brackets.set(mark.start, bracket);
  }
  let text = '';
  let cursor = 0;
  for (const [start, { end, numbers }] of brackets) {
    const kept = [...new Set(numbers.filter((n) => byNumber.has(n)))];
    for (const n of kept) {
      const extract = byNumber.get(n)!;
      if (!citations.some((c) => c.n === n)) citations.push({ n, ficheId: extract.ficheId, title: extract.title, url: extract.url });
    }
    const before = reply.slice(cursor, start);
    // The blank before a marker goes with it: « texte [7]. » becomes « texte. », not « texte . ».
    text += kept.length ? `${before}[${kept.join(', ')}]` : before.replace(/[ \t]+$/, '');
    cursor = end;
  }
  return { text: text + reply.slice(cursor), citations };
}
