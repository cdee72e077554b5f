/** The fiches a reply cites: its `[n]` markers mapped back to the numbered extracts of the prompt. */

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
 * `[1]`, `[2, 3]`, `[1; 4]` with the blanks before it: one or two digits each, so that a year in brackets
 * (« [2024] ») is not a citation.
 */
const MARKER = /[ \t]*\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]/g;

/**
 * Maps the reply's markers to the extracts, in order of first citation, each number once. A number with no extract
 * (the model invented it) is dropped from the citations and its marker removed from the text, so that the published
 * reply never points to nothing.
 */
export function mapCitations(reply: string, extracts: readonly ReplyExtract[]): { text: string; citations: ReplyCitation[] } {
  const byNumber = new Map(extracts.map((extract) => [extract.n, extract]));
  const citations: ReplyCitation[] = [];
  const text = reply.replace(MARKER, (marker: string, list: string) => {
    const kept = list
      .split(/[,;]/)
      .map((part) => Number(part.trim()))
      .filter((n) => byNumber.has(n));
    for (const n of kept) {
      const extract = byNumber.get(n);
      if (extract && !citations.some((c) => c.n === n)) {
        citations.push({ n, ficheId: extract.ficheId, title: extract.title, url: extract.url });
      }
    }
    // The blank before a marker goes with it: « texte [7]. » becomes « texte. », not « texte . ».
    return kept.length ? `${marker.match(/^[ \t]*/)?.[0] ?? ''}[${[...new Set(kept)].join(', ')}]` : '';
  });
  return { text, citations };
}
