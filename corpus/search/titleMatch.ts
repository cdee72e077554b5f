import { STOP_WORDS } from './agentVocabulary.js';
import { roughStem, tokenize } from './frenchText.js';
import type { AnalyzedQuery } from './queryAnalysis.js';

/**
 * How well a fiche title names the question's subject. Titles of service-public.fr fiches name one situation
 * (« Congé de paternité… », « Prime d'activité : salarié »): a title that holds the question's words, and above all
 * its word pairs (« prime activité », « arrêt maladie »), is a strong sign, which rank fusion alone dilutes.
 *
 * Returns a bonus in 0–1: half for the share of subject words in the title, half for the pairs found (2 or more = full).
 */
export function titleMatch(title: string, analysis: AnalyzedQuery): number {
  const titleStems = contentStems(title);
  if (titleStems.length === 0) return 0;
  const present = new Set(titleStems);
  const subject = [...new Set(analysis.terms.filter((term) => !STOP_WORDS.has(term)).map(roughStem))];
  const coverage = subject.length === 0 ? 0 : subject.filter((stem) => present.has(stem)).length / subject.length;
  const titlePairs = new Set(pairs(titleStems));
  const queryPairs = [...pairs(subject), ...analysis.expansionPhrases.flatMap((phrase) => pairs(contentStems(phrase)))];
  const found = new Set(queryPairs.filter((pair) => titlePairs.has(pair))).size;
  return coverage / 2 + Math.min(found, 2) / 4;
}

function contentStems(text: string): string[] {
  return tokenize(text).filter((token) => !STOP_WORDS.has(token)).map(roughStem);
}

function pairs(stems: readonly string[]): string[] {
  return stems.slice(1).map((stem, index) => `${stems[index]} ${stem}`);
}
