import type { Audience, SearchHit } from '../knowledge/knowledgeTypes.js';
import { frenchDate } from '../knowledge/ficheMarkdown.js';
import { renderUnits } from './answeringSentences.js';
import { type PassageUnit, passageUnits, scoreUnits, stemWeights } from './passageUnits.js';
import { estimateTokens } from './promptBudget.js';

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

/** One passage the extracts may come from, in the order of {@link passageQueue}. */
export interface Candidate {
  hit: SearchHit;
  passage: SearchHit['passages'][number];
  /** Rank of its fiche among the hits. */
  rank: number;
}

/**
 * The passages in the order they are numbered: the best passage of each of the three best fiches, then the second
 * passage of the best one, then the rest round by round. Several fiches early on let the model tell close situations
 * apart (« première demande » and « renouvellement »).
 */
export function passageQueue(hits: readonly SearchHit[]): Candidate[] {
  const rounds = Math.max(0, ...hits.map((hit) => hit.passages.length));
  const queue: Candidate[] = [];
  const take = (rank: number, index: number) => {
    const hit = hits[rank];
    const passage = hit?.passages[index];
    if (hit && passage && !queue.some((item) => item.passage === passage)) queue.push({ hit, passage, rank });
  };
  take(0, 0);
  take(1, 0);
  take(2, 0);
  take(0, 1);
  for (let round = 0; round < rounds; round++) hits.forEach((_, rank) => take(rank, round));
  return queue;
}

/**
 * Picks what the model will read, within `roomTokens`. Without the question's `stems`, whole passages in the order of
 * {@link passageQueue}, a passage that does not fit skipped for a shorter one. With them, the passages are cut to
 * the units that answer ({@link selectAnswering}). Extracts are numbered in the queue's order.
 */
export function selectExtracts(hits: readonly SearchHit[], roomTokens: number, stems?: ReadonlySet<string>): Extract[] {
  const queue = passageQueue(hits);
  if (stems) return selectAnswering(queue, roomTokens, stems);
  const chosen: Extract[] = [];
  let used = 0;
  for (const { hit, passage } of queue) {
    const extract = extractOf(hit, passage, passage.text, chosen.length + 1);
    const cost = blockCost(extract);
    if (used + cost > roomTokens) continue;
    used += cost;
    chosen.push(extract);
  }
  return chosen;
}

function extractOf(hit: SearchHit, passage: SearchHit['passages'][number], text: string, n: number): Extract {
  const { ficheId, title, url, date, audience } = hit;
  return { n, ficheId, title, url, date, audience, chunkId: passage.chunkId, sectionPath: passage.sectionPath, text };
}

/** Tokens an extract takes in the prompt, with the blank line that parts it from the next. */
export function blockCost(extract: Extract): number {
  return estimateTokens(extractBlock(extract)) + 2;
}

/** What a unit is worth falls with its fiche's rank and its passage's rank in the fiche: the search's order counts. */
const FICHE_DECAY = 0.3;
const PASSAGE_DECAY = 0.2;

interface Cut extends Candidate {
  units: PassageUnit[];
  scores: number[];
  kept: Set<number>;
  cost: number;
}

/**
 * The room shared by unit across the candidate passages: first the best unit of each of the three best fiches (they
 * stay represented), then, across all passages, the units that answer best (the question's rarer words, its
 * headings, a fiche's introduction, a hit's list items: {@link scoreUnits}), lowered with the search's rank. A passage
 * is opened (its header paid) by its first unit; units that do not fit are skipped for smaller ones.
 */
function selectAnswering(queue: readonly Candidate[], roomTokens: number, stems: ReadonlySet<string>): Extract[] {
  const cuts: Cut[] = queue.map((candidate) => ({
    ...candidate,
    units: passageUnits(candidate.passage.text, stems, { introduction: isIntroduction(candidate.passage) }),
    scores: [],
    kept: new Set<number>(),
    cost: 0,
  }));
  for (const cut of cuts) cut.scores = scoreUnits(cut.units, stemWeights(cut.units));
  let used = 0;
  const add = (cut: Cut, index: number) => {
    const kept = new Set([...cut.kept, index]);
    const cost = blockCost(extractOf(cut.hit, cut.passage, renderUnits(cut.units, kept), cuts.length));
    if (used - cut.cost + cost > roomTokens) return;
    used += cost - cut.cost;
    cut.cost = cost;
    cut.kept = kept;
  };
  cuts.forEach((cut, i) => {
    const first = cuts.findIndex((other) => other.hit === cut.hit) === i;
    const best = bestUnit(cut);
    if (cut.rank < 3 && first && best !== undefined) add(cut, best);
  });
  const pool = cuts.flatMap((cut) => {
    const worth = 1 / ((1 + FICHE_DECAY * cut.rank) * (1 + PASSAGE_DECAY * cut.hit.passages.indexOf(cut.passage)));
    return cut.units.map((unit) => ({ cut, index: unit.index, value: (cut.scores[unit.index] ?? 0) * worth }));
  });
  pool.sort((a, b) => b.value - a.value);
  for (const { cut, index, value } of pool) if (value > 0 && !cut.kept.has(index)) add(cut, index);
  return cuts.filter((cut) => cut.kept.size > 0).map((cut, i) => extractOf(cut.hit, cut.passage, renderUnits(cut.units, cut.kept), i + 1));
}

/** A fiche's first passage, before any section: its introduction. */
function isIntroduction(passage: SearchHit['passages'][number]): boolean {
  return passage.sectionPath.length === 0 && /#0$/u.test(passage.chunkId);
}

/** The unit a passage is best represented by: the best scored, else its first with words. */
function bestUnit(cut: Cut): number | undefined {
  const candidates = cut.units.filter((unit) => !unit.empty);
  if (candidates.length === 0) return undefined;
  return candidates.reduce((best, unit) => ((cut.scores[unit.index] ?? 0) > (cut.scores[best.index] ?? 0) ? unit : best)).index;
}
