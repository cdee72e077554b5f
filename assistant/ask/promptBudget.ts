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

/** Default: a 4k context, 600 tokens of answer, extracts capped at 1,200 tokens (about 4 passages). */
export const DEFAULT_BUDGET: PromptBudget = { contextSize: 4096, answerTokens: 600, maxExtractTokens: 1200 };

/** Tokens left for extracts once the fixed parts (system prompt, question, template) are counted. */
export function extractRoom(budget: PromptBudget, fixedText: string): number {
  const templateOverhead = 64;
  const free = budget.contextSize - budget.answerTokens - estimateTokens(fixedText) - templateOverhead;
  return Math.max(0, Math.min(budget.maxExtractTokens, free));
}
