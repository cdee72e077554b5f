/**
 * The mention that AI helped draft a reply (`replies.aiMention`, which policy can set): appended exactly once, by us,
 * never left to the model — which may write its own version, or copy one from an example.
 */
import { contentWords, jaccard, normalizeText } from './replyWords.js';

/** Sentences that say a machine wrote the text, whatever the wording (folded text). */
const AI_SENTENCE = /intelligence artificielle|(^|[^\p{L}])i\.?a\.?([^\p{L}]|$)|outil (automatique|numerique d'aide|d'aide a la redaction)|(redige|genere|prepare|ecrit)e?s? (automatiquement|par (un|une) (robot|algorithme|programme|machine))/u;
/** Word overlap from which a sentence counts as a paraphrase of the mention. */
const PARAPHRASE = 0.5;

/**
 * The text with every sentence that restates the mention removed: the exact mention, a sentence of it, a close
 * paraphrase, or any sentence saying AI or an automatic tool wrote the reply. Other sentences keep their wording.
 */
export function stripAiMention(text: string, mention: string): string {
  const folded = normalizeText(mention);
  const words = contentWords(mention);
  const isMention = (sentence: string): boolean => {
    const candidate = normalizeText(sentence);
    if (candidate.length >= 10 && (folded.includes(candidate) || candidate.includes(folded))) return true;
    return AI_SENTENCE.test(candidate) || jaccard(contentWords(sentence), words) >= PARAPHRASE;
  };
  const lines = text.split('\n').map((line) => {
    const sentences = line.split(/(?<=[.!?…])\s+/);
    const kept = sentences.filter((sentence) => !sentence.trim() || !isMention(sentence));
    return kept.length === sentences.length ? line : kept.join(' ').trimEnd();
  });
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The reply as published: the model's text without any mention of its own, a blank line, the policy's mention. */
export function withAiMention(text: string, mention: string): string {
  const body = stripAiMention(text, mention);
  return body ? `${body}\n\n${mention.trim()}` : mention.trim();
}
