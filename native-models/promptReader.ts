import type { LlamaChat, Token } from 'node-llama-cpp';

/** Target duration of one reading step: a cancel waits about this long at most. */
const STEP_MS = 100;
const FIRST_STEP = 32;
const MIN_STEP = 16;
const MAX_STEP = 512;
/** Tokens left to the generation: it evaluates the prompt's last tokens itself before writing. */
const TAIL = 8;

/**
 * Reads (evaluates) a prompt into the chat's context sequence in steps of about 100 ms, checking `signal` between
 * steps. node-llama-cpp evaluates a whole prompt at once, and llama.cpp cannot interrupt a batch: on a 7B model on
 * a CPU, 1,800 tokens of extracts take tens of seconds that the agent could not cancel. Afterwards the chat finds the
 * prompt already in the sequence and evaluates only its tail. Step sizes follow the measured speed, so batches stay as
 * large as the time allows.
 *
 * @param tokens the whole prompt as the chat will render it.
 * @throws the signal's reason when aborted between two steps.
 */
export async function readPromptInSteps(chat: LlamaChat, tokens: readonly Token[], signal: AbortSignal): Promise<void> {
  const sequence = chat.sequence;
  const end = tokens.length - TAIL;
  // What the sequence already holds of this prompt (the system prompt, an earlier turn) is kept, the rest erased.
  await sequence.adaptStateToTokens([...tokens], false);
  let at = sequence.nextTokenIndex;
  let step = FIRST_STEP;
  while (end - at >= MIN_STEP) {
    signal.throwIfAborted();
    const slice = tokens.slice(at, Math.min(at + step, end));
    const started = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(slice);
    const elapsed = Math.max(performance.now() - started, 1);
    at += slice.length;
    // At most doubled per step: a small batch's speed overstates a large one's (attention grows with the batch).
    step = Math.min(MAX_STEP, step * 2, Math.max(MIN_STEP, Math.round((slice.length * STEP_MS) / elapsed)));
  }
  signal.throwIfAborted();
}
