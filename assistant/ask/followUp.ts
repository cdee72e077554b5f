/** A previous question of the same conversation, as it was searched. */
export interface PreviousQuestion {
  question: string;
  /** The query actually searched for it (itself condensed when it was a follow-up). */
  searchQuery?: string;
}

// \b is ASCII-only even with the u flag: « ça » needs letter look-arounds.
const FOLLOW_UP_START = /^\s*(et|mais|sinon|alors|dans ce cas|pour|si|même|idem|aussi|également|ou|ok|d'accord)(?!\p{L})/iu;
const BACK_REFERENCE = /(?<!\p{L})(il|elle|ils|elles|ça|cela|celle-ci|celui-ci|ce cas|cette démarche|ce document|la même|le même|y|en)(?!\p{L})/iu;

/**
 * Whether a question only makes sense after the previous one: « et pour un mineur ? », « combien ça coûte ? »,
 * « et s'il est né à l'étranger ? ». Short questions that start with a linking word or point back count.
 */
export function isFollowUp(question: string): boolean {
  const words = question.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return false;
  if (FOLLOW_UP_START.test(question) && words.length <= 12) return true;
  return words.length <= 6 && BACK_REFERENCE.test(question);
}

/**
 * The query to search for a question in its conversation: a follow-up is searched together with the subject of
 * the question it follows (« carte d'identité » + « et pour un mineur ? »); a new subject is searched alone.
 * No model is needed: condensing with a 7B model on a laptop CPU would cost seconds for every follow-up.
 */
export function searchQueryFor(question: string, history: readonly PreviousQuestion[]): { query: string; followUp: boolean; previous?: string } {
  const previous = history.at(-1);
  if (!previous || !isFollowUp(question)) return { query: question, followUp: false };
  const subject = previous.searchQuery ?? previous.question;
  return { query: `${subject} ${question}`, followUp: true, previous: previous.question };
}
