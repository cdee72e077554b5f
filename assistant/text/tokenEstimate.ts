/**
 * Token arithmetic before the model's tokenizer is at hand. French text runs at about 3.5 characters per token with
 * Llama, Mistral and Lucie tokenizers; 3.2 leaves a margin so that an estimate never overflows. Once a model is loaded,
 * prompts are measured with its own tokenizer.
 */
export const CHARS_PER_TOKEN = 3.2;

/** Estimated tokens of a text: characters / 3.2, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
