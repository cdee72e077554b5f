/**
 * Token arithmetic for prompts, before the model's tokenizer is at hand. French text runs at about 3.5 characters
 * per token with Llama, Mistral and Lucie tokenizers; 3.2 leaves a margin so that an estimate never overflows.
 */
export const CHARS_PER_TOKEN = 3.2;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** How a prompt's room is shared. All in tokens. */
export interface PromptBudget {
  /** The model's context size. */
  contextSize: number;
  /** Room kept for the answer. */
  answerTokens: number;
  /** At most this much of extracts, even when the context has more room: on a laptop CPU each token is waited for. */
  maxExtractTokens: number;
}

/** Default: a 4k context, 600 tokens of answer, extracts capped at 1,200 tokens (about 4 passages). */
export const DEFAULT_BUDGET: PromptBudget = { contextSize: 4096, answerTokens: 600, maxExtractTokens: 1200 };

/** Tokens left for extracts once the fixed parts (system prompt, question, template) are counted. */
export function extractRoom(budget: PromptBudget, fixedText: string): number {
  const templateOverhead = 64;
  const free = budget.contextSize - budget.answerTokens - estimateTokens(fixedText) - templateOverhead;
  return Math.max(0, Math.min(budget.maxExtractTokens, free));
}
