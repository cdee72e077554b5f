import { estimateTokens } from '../text/tokenEstimate.js';

export { CHARS_PER_TOKEN, estimateTokens } from '../text/tokenEstimate.js';

/** How a prompt's room is shared. All in tokens. */
export interface PromptBudget {
  /** The model's context size. */
  contextSize: number;
  /** Room kept for the answer. */
  answerTokens: number;
  /** At most this much of extracts, even when the context has more room: on a laptop CPU each token is waited for. */
  maxExtractTokens: number;
}

/**
 * Default: a 4k context, 600 tokens of answer, extracts capped at 560 estimated tokens (four to seven passages cut to
 * their answering units): with the system prompt and the question, a median prompt of about 975 tokens with a Llama
 * tokenizer on the tuning questions (`npm run bench -- ttft`).
 */
export const DEFAULT_BUDGET: PromptBudget = { contextSize: 4096, answerTokens: 600, maxExtractTokens: 560 };

/** Seconds of reading the extracts may cost at most on a slow model; below, fewer extracts. */
export const EXTRACT_READING_S = 30;
/** Fewest extract tokens, however slow the model: the three best fiches' best sentences. */
export const MIN_EXTRACT_TOKENS = 360;

/**
 * The extracts' share of the budget for a model that reads `tokensPerSecond` (measured on its earlier prompts): at most
 * the default, less on a model so slow that reading them would take more than {@link EXTRACT_READING_S} seconds.
 * Unknown speed (the first question): the default.
 */
export function extractTokensFor(tokensPerSecond: number | undefined, max = DEFAULT_BUDGET.maxExtractTokens): number {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return max;
  // In steps of 60 tokens: a speed that wavers a little keeps the same extracts from one question to the next.
  const bySpeed = Math.floor((tokensPerSecond * EXTRACT_READING_S) / 60) * 60;
  return Math.max(Math.min(MIN_EXTRACT_TOKENS, max), Math.min(max, bySpeed));
}

/** Tokens left for extracts once the fixed parts (system prompt, question, template) are counted. */
export function extractRoom(budget: PromptBudget, fixedText: string): number {
  const templateOverhead = 64;
  const free = budget.contextSize - budget.answerTokens - estimateTokens(fixedText) - templateOverhead;
  return Math.max(0, Math.min(budget.maxExtractTokens, free));
}
