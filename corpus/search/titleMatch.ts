import { STOP_WORDS } from './agentVocabulary.js';
import { roughStem, tokenize } from './frenchText.js';
import type { AnalyzedQuery } from './queryAnalysis.js';

/**
 * How well a fiche title names the question's subject. Titles of service-public.fr fiches name one situation
 * (« Congé de paternité… », « Prime d'activité : salarié »): a title that holds the question's words, and above all
 * its word pairs (« prime activité », « arrêt maladie »), is a strong sign, which rank fusion alone dilutes.
 *
 * Returns a bonus in 0–1.25: half for the share of subject words in the title, a quarter for the pairs found (2 or
 * more = full), a quarter for the share of title words that the question asked about.
 */
export function titleMatch(title: string, analysis: AnalyzedQuery): number {
  const titleStems = titleContentStems(title);
  if (titleStems.length === 0) return 0;
  const present = new Set(titleStems);
  // A subject word is named by the title itself or by a word it stands for (« cni » by « carte », « identité »).
  const subject = [...new Set(analysis.terms.filter((term) => !STOP_WORDS.has(term)))];
  const named = subject.filter((term) => [term, ...(analysis.expansionsByTerm[term] ?? [])].some((word) => present.has(titleStem(word))));
  const coverage = subject.length === 0 ? 0 : named.length / subject.length;
  const titlePairs = new Set(pairs(titleStems));
  // Pairs of the question's own words count one by one; an expansion (« carte nationale d'identité ») is one concept.
  const ownPairs = new Set(pairs(subject.map(titleStem)).filter((pair) => titlePairs.has(pair))).size;
  const phrases = analysis.expansionPhrases.filter((phrase) => pairs(contentStems(phrase)).some((pair) => titlePairs.has(pair))).length;
  // A title that says more than the question (« …cumuler l'AAH et le RSA ? » for « montant de l'AAH ») is a
  // narrower situation than the one asked about: the general fiche comes first.
  const asked = new Set([...subject, ...analysis.expansions].map(titleStem));
  const precision = titleStems.filter((stem) => asked.has(stem)).length / titleStems.length;
  return coverage / 2 + Math.min(ownPairs + phrases, 2) / 4 + precision / 4;
}

/** Titles are few (one per fiche) and asked again at every search: their stems are computed once. */
const titleStemCache = new Map<string, string[]>();
const TITLE_CACHE_LIMIT = 20_000;

function titleContentStems(title: string): string[] {
  let stems = titleStemCache.get(title);
  if (!stems) {
    if (titleStemCache.size >= TITLE_CACHE_LIMIT) titleStemCache.clear();
    stems = contentStems(title);
    titleStemCache.set(title, stems);
  }
  return stems;
}

function contentStems(text: string): string[] {
  return tokenize(text).filter((token) => !STOP_WORDS.has(token)).map(titleStem);
}

/**
 * The rough stem, with the short verbs in « -éer » brought to their conjugated forms: « créer » and « crée », « agréer »
 * and « agréé » are too short for the stemmer to cut, and a title « Je crée une association » must name « créer une
 * association ». Titles are compared at search time only, so this costs no stored index a new version.
 */
function titleStem(word: string): string {
  return roughStem(word.replace(/eer$/, 'ee'));
}

function pairs(stems: readonly string[]): string[] {
  return stems.slice(1).map((stem, index) => `${stems[index]} ${stem}`);
}
