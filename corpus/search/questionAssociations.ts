import { ACRONYMS, FILLER_WORDS, STOP_WORDS, SYNONYMS } from './agentVocabulary.js';
import { ficheStems } from './ficheTextIndex.js';
import { fold, surfaceTokens } from './frenchText.js';
import type { LearnedVocabulary } from './learnedVocabulary.js';
import { analyzeQuery } from './queryAnalysis.js';
import type { SpellingCorrector } from './vocabulary.js';

/** One question whose answering fiches are known, as the learner reads it. */
export interface AssociationExample {
  /** Who wrote it (a question set): an association must hold for several writers, not one writer's habit. */
  writer: string;
  /** Its subject words, folded, as the search reads them (acronyms left out: the hand-written table has them). */
  terms: string[];
  /** The title words of its answering fiches that the question does not already say (folded), by their stem. */
  titleWords: Map<string, string>;
}

export interface AssociationOptions {
  /** Questions that must pair the word with the title word. */
  minQuestions: number;
  /** Distinct writers among them. */
  minWriters: number;
  /** Share of the questions holding the word whose answer's title has the title word, smoothed (see `smoothing`). */
  minShare: number;
  /** Added to the questions holding the word: a word seen twice needs both to agree to pass a share of ½. */
  smoothing: number;
  /** Title words kept per question word, most associated first. */
  perWord: number;
}

/**
 * Chosen by leaving each of the eighteen tuning sets out in turn (docs/recherche.md, « Vocabulaire appris »): two
 * questions by two writers, a share of 0,3 smoothed by 4 and two title words per question word. A smoothing of 2 won
 * as much overall but cost the four oldest sets more; a share of 0,5, or words rare in the corpus only, lost half the
 * gain and still cost them.
 */
export const ASSOCIATION_OPTIONS: Readonly<AssociationOptions> = { minQuestions: 2, minWriters: 2, minShare: 0.3, smoothing: 4, perWord: 2 };

/**
 * A question as the learner reads it: its subject words as the search reads them (with the hand-written vocabulary,
 * but no learned one), and the title words of its answering fiches that neither the question nor those expansions
 * already say: what the question leaves to the fiche's own wording.
 */
export function associationExample(question: string, answerTitles: readonly string[], writer: string, corrector?: SpellingCorrector): AssociationExample {
  const analysis = analyzeQuery(question, corrector, {});
  const terms = [...new Set(analysis.terms.filter((term) => term.length > 2 && ACRONYMS[term] === undefined))];
  const said = new Set([...terms, ...analysis.expansions].flatMap(ficheStems));
  const titleWords = new Map<string, string>();
  for (const title of answerTitles) {
    for (const word of contentWords(title)) {
      const [stem] = ficheStems(word);
      if (stem !== undefined && !said.has(stem) && !titleWords.has(stem)) titleWords.set(stem, word);
    }
  }
  return { writer, terms, titleWords };
}

/**
 * The words agents use for what fiche titles say otherwise, learnt from questions whose answering fiches are known:
 * a question word gains the title words that the answers of most questions holding it share (« proprio »,
 * « appart » → « locataire », « préavis »), when several writers' questions agree. Words the hand-written vocabulary
 * already expands are left to it.
 */
export function learnVocabulary(examples: readonly AssociationExample[], options: Readonly<AssociationOptions> = ASSOCIATION_OPTIONS): LearnedVocabulary {
  const questionsWith = new Map<string, number>();
  const pairs = new Map<string, { word: string; titleWord: string; questions: number; writers: Set<string> }>();
  for (const example of examples) {
    for (const word of example.terms) {
      questionsWith.set(word, (questionsWith.get(word) ?? 0) + 1);
      for (const [stem, titleWord] of example.titleWords) {
        const key = `${word} ${stem}`;
        const pair = pairs.get(key) ?? { word, titleWord, questions: 0, writers: new Set<string>() };
        pair.questions++;
        pair.writers.add(example.writer);
        pairs.set(key, pair);
      }
    }
  }
  const byWord = new Map<string, { titleWord: string; share: number }[]>();
  for (const pair of pairs.values()) {
    const share = pair.questions / ((questionsWith.get(pair.word) ?? 0) + options.smoothing);
    if (pair.questions < options.minQuestions || pair.writers.size < options.minWriters || share < options.minShare) continue;
    const entries = byWord.get(pair.word) ?? [];
    entries.push({ titleWord: pair.titleWord, share });
    byWord.set(pair.word, entries);
  }
  const learned: Record<string, string> = {};
  for (const word of [...byWord.keys()].sort()) {
    if (SYNONYMS[word] !== undefined) continue;
    const ranked = (byWord.get(word) ?? []).sort((a, b) => b.share - a.share || a.titleWord.localeCompare(b.titleWord));
    learned[word] = ranked.slice(0, options.perWord).map((entry) => entry.titleWord).join(' ');
  }
  return learned;
}

function contentWords(text: string): string[] {
  return surfaceTokens(text).map(fold).filter((word) => word.length > 2 && !STOP_WORDS.has(word) && !FILLER_WORDS.has(word));
}
