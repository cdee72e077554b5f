import type { Audience } from '../fiche.js';
import { ACRONYMS, AUDIENCE_CUES, FILLER_WORDS, STOP_WORDS, SYNONYMS } from './agentVocabulary.js';
import { baseForms, fold, surfaceTokens, tokenize } from './frenchText.js';
import { LEARNED_VOCABULARY, type LearnedVocabulary } from './learnedVocabulary.js';
import { RERANK_WEIGHTS, type RerankWeights } from './rerankWeights.js';
import type { SpellingCorrector } from './vocabulary.js';

/** A word the full-text indexes are asked, with what it counts: 1 for the question's own words, less for added ones. */
export interface QueryWord {
  word: string;
  weight: number;
}

/** How much the words added to a question count, against its own (see RerankWeights). */
export type ExpansionWeights = Pick<RerankWeights, 'handExpansion' | 'learnedExpansion'>;

/** A question as the search engine understands it. */
export interface AnalyzedQuery {
  original: string;
  /** The subject words, folded, in order: question words and politeness removed, typos corrected. */
  terms: string[];
  /** Words added for acronyms and everyday wording, folded. */
  expansions: string[];
  /** The same expansions as phrases (« indemnités journalières »), for matching word pairs. */
  expansionPhrases: string[];
  /** For each subject word that has them, the words it stands for (« cni » → carte, nationale, identité). */
  expansionsByTerm: Record<string, string[]>;
  corrections: { from: string; to: string }[];
  /** Acronyms recognised (folded). */
  acronyms: string[];
  /** The audience the question seems to be about, when it says so. */
  audienceHint?: Audience;
  /**
   * What the full-text indexes are asked (words OR-ed, each with its weight), spelt as the corpus spells them:
   * LanceDB's Snowball stemmer, which ran before accents were folded, needed them; the in-memory indexes fold first,
   * so the accents do no harm.
   */
  fullTextWords: QueryWord[];
  /** The same words, as one line (for the log and the CLI's explanations). */
  fullText: string;
  /** What the embedder is asked: the question with acronyms spelled out. */
  semantic: string;
}

/** Longest question considered: beyond, a paste is cut (the head of a situation carries its subject). */
export const MAX_QUERY_CHARS = 2_000;

/** Words sent to the full-text index at most (the question's own first): each word costs a posting-list scan. */
export const MAX_FULL_TEXT_WORDS = 32;

/**
 * Turns a question typed at a counter into search words: accents folded, typos corrected against the corpus
 * vocabulary, acronyms and everyday words expanded (by the hand-written vocabulary, then by the one learnt from
 * agents' questions), question words and politeness dropped.
 */
export function analyzeQuery(
  question: string,
  corrector?: SpellingCorrector,
  learned: LearnedVocabulary = LEARNED_VOCABULARY,
  weights: Readonly<ExpansionWeights> = RERANK_WEIGHTS,
): AnalyzedQuery {
  const original = question.slice(0, MAX_QUERY_CHARS);
  const surfaces = new Map<string, string>();
  const tokens = surfaceTokens(original).map((surface) => {
    const folded = fold(surface);
    if (!surfaces.has(folded)) surfaces.set(folded, surface);
    return folded;
  });
  const content = tokens.filter((token) => !FILLER_WORDS.has(token) && !STOP_WORDS.has(token) && !saidOfAPerson(token, tokens));
  const kept = content.length > 0 ? content : tokens;
  const corrections: AnalyzedQuery['corrections'] = [];
  const terms = unique(kept).map((token) => {
    if (ACRONYMS[token] !== undefined || SYNONYMS[token] !== undefined || Object.hasOwn(learned, token)) return token;
    const corrected = corrector?.correct(token);
    if (!corrected) return token;
    corrections.push({ from: token, to: corrected });
    return corrected;
  });
  const acronyms = unique(terms.filter((term) => ACRONYMS[term] !== undefined));
  const { byTerm: synonyms, learnt } = synonymExpansions(terms, tokens, learned);
  const expansionsByTerm: Record<string, string[]> = {};
  for (const term of terms) {
    const words = [ACRONYMS[term], synonyms[term]].filter((phrase): phrase is string => phrase !== undefined).flatMap(tokenize);
    if (words.length > 0) expansionsByTerm[term] = unique(words.filter((word) => !STOP_WORDS.has(word)));
  }
  const expansionPhrases = unique([...acronyms.map((acronym) => ACRONYMS[acronym] ?? ''), ...Object.values(synonyms)]);
  const weightOf = expansionWeights(acronyms, synonyms, learnt, weights);
  const expansions = [...weightOf.keys()].filter((word) => !terms.includes(word) && !STOP_WORDS.has(word));
  const fullTextWords = [...terms.map((word) => ({ word, weight: 1 })), ...expansions.map((word) => ({ word, weight: weightOf.get(word) ?? 1 }))]
    .slice(0, MAX_FULL_TEXT_WORDS)
    .map(({ word, weight }) => ({ word: corrector?.spelling(word) ?? surfaces.get(word) ?? expansionSpelling(word, expansionPhrases), weight }));
  const hint = audienceHint(terms);
  const spelled = acronyms.reduce(
    (text, acronym) => text.replace(new RegExp(`\\b${acronym}\\b`, 'gi'), (match) => `${match} (${ACRONYMS[acronym]})`),
    original,
  );
  return {
    original,
    terms,
    expansions,
    expansionPhrases,
    expansionsByTerm,
    corrections,
    acronyms,
    ...(hint ? { audienceHint: hint } : {}),
    fullTextWords,
    fullText: fullTextWords.map(({ word }) => word).join(' '),
    semantic: spelled.trim(),
  };
}

/** The accented form of an expansion word, as written in the expansion lists. */
function expansionSpelling(folded: string, phrases: readonly string[]): string {
  return phrases.flatMap((phrase) => surfaceTokens(phrase)).find((surface) => fold(surface) === folded) ?? folded;
}

/**
 * Multi-word synonyms: their words reduced as a question's are (« fiche de paie » → fiche, paie), and whole, as
 * folded tokens (« sans papiers »).
 */
const PHRASE_SYNONYMS = Object.entries(SYNONYMS)
  .filter(([key]) => key.includes(' '))
  .map(([key, expansion]) => ({
    words: tokenize(key).filter((word) => !STOP_WORDS.has(word) && !FILLER_WORDS.has(word)),
    whole: tokenize(key).join(' '),
    expansion,
  }))
  .filter(({ words }) => words.length > 0);

/**
 * Expansions of everyday words, by the query word they expand; a matched phrase (« chômage partiel ») silences its
 * words' own expansions and expands each of its words. A phrase of two subject words or more matches them in the
 * question's subject (« fiche paie »); one that its small words make (« sans papiers », « à charge », « sans juge »)
 * matches only as typed: reduced to « papiers » or « juge », it would turn « j'ai perdu mes papiers » into a
 * question about undocumented migrants and « le juge l'a obligé à payer » into a divorce by mutual consent.
 */
function synonymExpansions(
  terms: readonly string[],
  tokens: readonly string[],
  learned: LearnedVocabulary,
): { byTerm: Record<string, string>; learnt: Set<string> } {
  const typed = ` ${tokens.join(' ')} `;
  const byTerm: Record<string, string> = {};
  const learnt = new Set<string>();
  for (const { words, whole, expansion } of PHRASE_SYNONYMS) {
    const matched = words.length > 1 ? phraseAt(terms, words) : [];
    if (matched.length === 0 && typed.includes(` ${whole} `)) matched.push(...words);
    for (const word of matched) byTerm[word] = `${byTerm[word] ?? ''} ${expansion}`.trim();
  }
  for (const term of terms) {
    if (byTerm[term] !== undefined) continue;
    const forms = baseForms(term);
    const key = forms.find((form) => SYNONYMS[form] !== undefined);
    const learntForm = forms.find((form) => Object.hasOwn(learned, form));
    if (key !== undefined) byTerm[term] = SYNONYMS[key] ?? '';
    else if (learntForm !== undefined) {
      byTerm[term] = learned[learntForm] ?? '';
      learnt.add(term);
    }
  }
  return { byTerm, learnt };
}

/**
 * Each expansion word's weight, in the order the expansion phrases give the words: the hand-written vocabulary's
 * (acronyms, everyday words) or the learnt one's; a word that both give keeps the higher.
 */
function expansionWeights(
  acronyms: readonly string[],
  synonyms: Readonly<Record<string, string>>,
  learnt: ReadonlySet<string>,
  weights: Readonly<ExpansionWeights>,
): Map<string, number> {
  const byWord = new Map<string, number>();
  const add = (phrase: string, weight: number) => {
    for (const word of tokenize(phrase)) byWord.set(word, Math.max(byWord.get(word) ?? 0, weight));
  };
  for (const acronym of acronyms) add(ACRONYMS[acronym] ?? '', weights.handExpansion);
  for (const [term, phrase] of Object.entries(synonyms)) add(phrase, learnt.has(term) ? weights.learnedExpansion : weights.handExpansion);
  return byWord;
}

/** The subject terms that spell `words` one after the other, whatever their gender and number; none if they do not. */
function phraseAt(terms: readonly string[], words: readonly string[]): string[] {
  for (let at = 0; at + words.length <= terms.length; at++) {
    const span = terms.slice(at, at + words.length);
    if (span.every((term, i) => baseForms(term).includes(words[i] ?? ''))) return span;
  }
  return [];
}

const PRONOUNS = new Set(['il', 'elle', 'je', 'j', 'ils', 'elles', 'on', 'tu']);
const BEING = new Set(['est', 'suis', 'es', 'sont', 'sent', 'sens', 'sentent', 'etait', 'semble']);
const DEGREE = new Set(['completement', 'totalement', 'tout', 'toute', 'un', 'peu', 'tres', 'vraiment', 'assez', 'bien']);

/**
 * « Elle est perdue », « il se sent complètement perdu »: the word tells how the person feels, not what they lost; as
 * a subject word, and through its expansion (perte), it sent the search to lost papers. Said of a thing (« sa carte
 * est perdue »), or in « il a perdu », it stays.
 */
function saidOfAPerson(term: string, tokens: readonly string[]): boolean {
  if (!/^perdue?s?$/.test(term)) return false;
  const uses = tokens.flatMap((token, at) => (token === term ? [at] : []));
  return uses.length > 0 && uses.every((at) => {
    let before = at - 1;
    while (before >= 0 && DEGREE.has(tokens[before] ?? '')) before--;
    if (!BEING.has(tokens[before] ?? '')) return false;
    const subject = tokens[before - 1] === 'se' ? tokens[before - 2] : tokens[before - 1];
    return PRONOUNS.has(subject ?? '');
  });
}

function audienceHint(terms: readonly string[]): Audience | undefined {
  for (const audience of ['associations', 'professionnels'] as const) {
    if (terms.some((term) => AUDIENCE_CUES[audience].has(term))) return audience;
  }
  return undefined;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
