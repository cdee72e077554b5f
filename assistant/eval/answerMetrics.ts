import { parseCitations } from '../ask/citations.js';
import { factsFound, normaliseForFacts } from './factMatch.js';
import type { EvalQuestion } from './questionSet.js';

/** An extract the model was given: its number in the prompt and its fiche. */
export interface GivenExtract {
  n: number;
  ficheId: string;
}

/** What one draft scores against its question. */
export interface AnswerScore {
  /** `[n]` marks in the draft, a repeated one counted each time. */
  marks: number;
  /** Of these, marks pointing to a provided extract. */
  validMarks: number;
  /** Numbers cited that match no extract, each once, ascending. */
  invalidNumbers: number[];
  /** Fiches cited through valid marks, each once, in order of first citation. */
  citedFiches: string[];
  /** At least one gold fiche cited; `null` for a question without gold fiche. */
  citesGold: boolean | null;
  /** The draft says the fiches do not answer (« les fiches ne répondent pas »…). */
  declines: boolean;
  facts: { expected: number; found: string[]; missing: string[] };
  chars: number;
  words: number;
}

/**
 * Scores one draft: its citation marks against the extracts given, gold fiches cited, declining, expected facts.
 * @param extracts the extracts as numbered in the prompt.
 */
export function scoreAnswer(question: EvalQuestion, answer: string, extracts: readonly GivenExtract[]): AnswerScore {
  const ficheOf = new Map(extracts.map((extract) => [extract.n, extract.ficheId]));
  const marks = parseCitations(answer);
  const valid = marks.filter((mark) => ficheOf.has(mark.n));
  const citedFiches = [...new Set(valid.map((mark) => ficheOf.get(mark.n)!))];
  const trimmed = answer.trim();
  return {
    marks: marks.length,
    validMarks: valid.length,
    invalidNumbers: [...new Set(marks.filter((mark) => !ficheOf.has(mark.n)).map((mark) => mark.n))].sort((a, b) => a - b),
    citedFiches,
    citesGold: question.gold.length ? citedFiches.some((id) => question.gold.includes(id)) : null,
    declines: declines(answer),
    facts: { expected: question.facts?.length ?? 0, ...factsFound(answer, question.facts ?? []) },
    chars: trimmed.length,
    words: trimmed ? trimmed.split(/\s+/u).length : 0,
  };
}

const SUBJECT = '(?:extraits?|fiches?|documents?|sources?|textes?|informations?|elements?)';
const VERB =
  '(?:permet|permettent|repond|repondent|contient|contiennent|precise|precisent|mentionne|mentionnent|indique|indiquent|traite|traitent|donne|donnent|couvre|couvrent|aborde|abordent|fournit|fournissent|evoque|evoquent)';

/**
 * Ways a French draft says the fiches do not answer, on text normalised as for facts (no accents, no apostrophes).
 * The system prompt asks the model to say « clairement » when the extracts do not allow an answer.
 */
const DECLINING = [
  new RegExp(`\\b${SUBJECT}\\b(?: [a-z0-9]+){0,8} n ?e? ?${VERB}(?: [a-z]+)? pas\\b`, 'u'),
  new RegExp(`\\bne ${VERB} pas de repondre\\b`, 'u'),
  /\baucun(?:e)? (?:extrait|fiche|information|element|source|reponse|donnee)s?\b/u,
  /\bpas d (?:information|extrait|fiche|element|reponse|donnee)s?\b/u,
  /\bne (?:peux|puis|pouvons) pas (?:vous )?(?:repondre|renseigner|indiquer)\b/u,
  /\b(?:impossible|pas possible) de repondre\b/u,
  /\bne (?:suis|sommes) pas en mesure de\b/u,
];

/** Whether a draft says the fiches do not answer the question. */
export function declines(answer: string): boolean {
  const text = normaliseForFacts(answer);
  return DECLINING.some((pattern) => pattern.test(text));
}
