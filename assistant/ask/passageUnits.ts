import { splitSentences } from '../../corpus/chunker.js';
import { roughStem, tokenize } from '../../corpus/search/frenchText.js';
import { estimateTokens } from './promptBudget.js';

/**
 * The smallest piece of a passage an extract keeps or leaves out: a sentence of prose, or a whole list item, table
 * row or notice line (an item cut in two would lose what it enumerates).
 */
export interface PassageUnit {
  /** Position in the passage. */
  index: number;
  text: string;
  /** Estimated tokens, with the space or line break that joins it to the previous unit. */
  cost: number;
  /** Starts a line of its own (list item, table row, notice, new paragraph): joined by a line break. */
  ownLine: boolean;
  /** The question's stems found in its words. */
  stems: Set<string>;
  /** Stems of the bold heading it stands under (« **Conditions › Salariés concernés** »). */
  headingStems: Set<string>;
  /** In the first paragraph of prose of a fiche's introduction: the summary service-public.fr writes to answer. */
  lead: boolean;
  /** The introduction's first sentence: a fiche titled as a question answers it there (« Oui, à condition… »). */
  first: boolean;
  /** Ends with « : »: it introduces the list or the sentence that follows. */
  opensList: boolean;
  /** Too few words to answer anything alone (« > », a table separator). */
  empty: boolean;
}

/** Words of 3 letters or less say nothing of the subject, save the question's own (« nom », « CDD », « âge »). */
const SHORT = 3;

/** The stems of a text's words, as the question's are made. */
export function stemsOf(text: string): Set<string> {
  return new Set(tokenize(text).filter((word) => word.length >= SHORT).map(roughStem));
}

/** A whole line in bold: a heading the chunker wrote at the head of a merged section. */
const HEADING = /^\*\*[^*]+\*\*:?$/u;
const OWN_LINE = /^(?:[-*•]\s|\d+[.)]\s|\||>)/u;

/**
 * Cuts a passage into units. Headings are not units (they answer nothing alone and cost tokens): their words count for
 * the units under them. The first prose paragraph of a fiche's first chunk is its introduction.
 */
export function passageUnits(text: string, question: ReadonlySet<string>, options: { introduction?: boolean } = {}): PassageUnit[] {
  const units: PassageUnit[] = [];
  let heading = new Set<string>();
  let leadParagraph = options.introduction === true;
  for (const paragraph of text.split(/\n\s*\n/u)) {
    const lines = paragraph.split('\n').map((line) => line.trim()).filter(Boolean);
    let proseSeen = false;
    for (const line of lines) {
      if (HEADING.test(line)) {
        heading = keepOnly(stemsOf(line), question);
        leadParagraph = false;
        continue;
      }
      const ownLine = OWN_LINE.test(line);
      const pieces = ownLine ? [line] : splitSentences(line);
      pieces.forEach((piece, i) => {
        units.push({
          index: units.length,
          text: piece,
          cost: estimateTokens(piece) + 1,
          ownLine: ownLine || i === 0,
          stems: keepOnly(stemsOf(piece), question),
          headingStems: heading,
          lead: leadParagraph && !line.startsWith('>'),
          first: leadParagraph && !line.startsWith('>') && !units.some((unit) => unit.lead),
          opensList: /:\s*$/u.test(piece),
          empty: !/[\p{L}\p{N}]{2,}/u.test(piece),
        });
      });
      if (!line.startsWith('>')) proseSeen = true;
    }
    // The introduction is its first paragraph of prose; a notice (« > **Projet de réforme** ») before it is not.
    if (proseSeen) leadParagraph = false;
  }
  return units;
}

function keepOnly(stems: Set<string>, wanted: ReadonlySet<string>): Set<string> {
  return new Set([...stems].filter((stem) => wanted.has(stem)));
}

/**
 * How much each of the question's stems tells a passage's units apart: a stem found in most of them (« congé » in
 * every sentence of a fiche on the « congé sans solde ») weighs less than one found in a few. Per passage, so that an
 * extract's units depend on its own passage and the question only, not on which other fiches were found.
 */
export function stemWeights(units: readonly PassageUnit[]): Map<string, number> {
  const found = new Map<string, number>();
  for (const unit of units) for (const stem of unit.stems) found.set(stem, (found.get(stem) ?? 0) + 1);
  return new Map([...found].map(([stem, count]) => [stem, Math.log(1 + units.length / count)]));
}

/** Bonus of a fiche's introduction, in stem weights: it says what the fiche answers in its own words. */
const LEAD_BONUS = 3;
/** … and of its first sentence. */
const FIRST_BONUS = 1;
/** Stems of the heading count this much for each unit under it. */
const HEADING_SHARE = 0.3;

/**
 * A unit's score: the weights of the question's stems it holds, a share of its heading's, a bonus in a fiche's
 * introduction. An empty unit scores nothing; a unit whose previous one opens a list (« dans les cas suivants : »)
 * shares that one's score, so a hit's list items come with it.
 */
export function scoreUnits(units: readonly PassageUnit[], weights: ReadonlyMap<string, number>): number[] {
  const weightOf = (stems: ReadonlySet<string>) => [...stems].reduce((sum, stem) => sum + (weights.get(stem) ?? 0), 0);
  const own = units.map((unit) => {
    if (unit.empty) return 0;
    const heading = weightOf(new Set([...unit.headingStems].filter((stem) => !unit.stems.has(stem))));
    return weightOf(unit.stems) + HEADING_SHARE * heading + (unit.lead ? LEAD_BONUS : 0) + (unit.first ? FIRST_BONUS : 0);
  });
  const scores = [...own];
  let opener = -1;
  units.forEach((unit, i) => {
    if (unit.opensList) opener = i;
    else if (opener >= 0 && unit.ownLine && OWN_LINE.test(unit.text) && !unit.empty) scores[i] = Math.max(own[i]!, 0.5 * own[opener]!);
    else opener = -1;
  });
  return scores;
}
