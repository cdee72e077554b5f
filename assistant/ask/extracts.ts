import type { Audience, SearchHit } from '../knowledge/knowledgeTypes.js';
import { frenchDate } from '../knowledge/ficheMarkdown.js';
import { answeringSentences } from './answeringSentences.js';
import { estimateTokens } from './promptBudget.js';

/**
 * Tokens of one extract at most (a longer passage keeps its answering sentences only), for the best passage of each of
 * the three best fiches: where the answer most often is, so it keeps more.
 */
export const LEAD_EXTRACT_TOKENS = 130;
/** … for the other passages. */
export const OTHER_EXTRACT_TOKENS = 100;

/** A numbered passage given to the model: what `[n]` in the answer refers to. */
export interface Extract {
  /** 1-based number, as cited. */
  n: number;
  ficheId: string;
  title: string;
  url: string;
  date: string;
  audience: Audience;
  chunkId: string;
  sectionPath: string[];
  text: string;
}

/** How an extract is written in the prompt: number, fiche title and date, section, text. */
export function extractBlock(extract: Omit<Extract, 'n'> & { n: number }): string {
  const section = extract.sectionPath.length > 0 ? ` — ${extract.sectionPath.join(' › ')}` : '';
  return `[${extract.n}] « ${extract.title} » (fiche du ${frenchDate(extract.date)})${section}\n${extract.text}`;
}

/**
 * Picks the passages the model will read, within `roomTokens`: the best passage of each of the three best fiches,
 * then the second passage of the best one, then the rest round by round. Several fiches early on let the model tell
 * close situations apart (« première demande » and « renouvellement »). With the question's `stems`, a long passage
 * keeps only its answering sentences ({@link answeringSentences}, at most {@link LEAD_EXTRACT_TOKENS} for the first
 * three, {@link OTHER_EXTRACT_TOKENS} for the others; on PIAF's annotated answers these sizes kept the most answers
 * within the 600-token budget). A passage that
 * does not fit is skipped for a shorter one; extracts are numbered in the order chosen.
 */
export function selectExtracts(hits: readonly SearchHit[], roomTokens: number, stems?: ReadonlySet<string>): Extract[] {
  const rounds = Math.max(0, ...hits.map((hit) => hit.passages.length));
  const queue: { hit: SearchHit; passage: SearchHit['passages'][number] }[] = [];
  const take = (rank: number, index: number) => {
    const hit = hits[rank];
    const passage = hit?.passages[index];
    if (hit && passage && !queue.some((item) => item.passage === passage)) queue.push({ hit, passage });
  };
  take(0, 0);
  take(1, 0);
  take(2, 0);
  take(0, 1);
  for (let round = 0; round < rounds; round++) hits.forEach((_, rank) => take(rank, round));
  const chosen: Extract[] = [];
  let used = 0;
  for (const [position, { hit, passage }] of queue.entries()) {
    const extract: Extract = {
      n: chosen.length + 1,
      ficheId: hit.ficheId,
      title: hit.title,
      url: hit.url,
      date: hit.date,
      audience: hit.audience,
      chunkId: passage.chunkId,
      sectionPath: passage.sectionPath,
      text: stems ? answeringSentences(passage.text, stems, position < 3 ? LEAD_EXTRACT_TOKENS : OTHER_EXTRACT_TOKENS) : passage.text,
    };
    const cost = estimateTokens(extractBlock(extract)) + 2;
    if (used + cost > roomTokens) continue;
    used += cost;
    chosen.push(extract);
  }
  return chosen;
}
