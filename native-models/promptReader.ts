import type { LlamaChat, Token } from 'node-llama-cpp';

/** Target duration of one reading step: a cancel waits about this long at most. */
const STEP_MS = 100;
const FIRST_STEP = 32;
const MIN_STEP = 16;
const MAX_STEP = 512;
/** Tokens left to the generation: it evaluates the prompt's last tokens itself before writing. */
const TAIL = 8;

/** Options of {@link readPromptInSteps}. */
export interface PromptReadOptions {
  /**
   * Read up to this token index (excluded), all of it: a speculative reading of a prompt's stable beginning.
   * Default: the whole prompt but its last few tokens, which the generation evaluates itself.
   */
  until?: number;
  /** After each step: tokens of the prompt now in the sequence, out of `until`. A throwing listener is ignored. */
  onStep?: (step: PromptReadStep) => void;
  /** Measured speed of each step, tokens/s: the runtime keeps the model's reading speed from it. */
  onSpeed?: (tokensPerSecond: number) => void;
}

/** Where a reading stands after a step. */
export interface PromptReadStep {
  /** Tokens of the prompt in the sequence (kept from before, or read). */
  inSequence: number;
  /** Tokens to read in all. */
  target: number;
  /** Steps evaluated so far by this reading. */
  steps: number;
}

/** What a reading did. */
export interface PromptReadResult {
  /** Tokens the sequence already held (kept from an earlier question or reading). */
  reused: number;
  /** Tokens evaluated by this reading. */
  evaluated: number;
  steps: number;
  /** Wall time of the evaluation steps, ms. */
  readingMs: number;
}

/**
 * Reads (evaluates) a prompt into the chat's context sequence in steps of about 100 ms, checking `signal` between
 * steps. node-llama-cpp evaluates a whole prompt at once, and llama.cpp cannot interrupt a batch: on a 7B model on
 * a CPU, 1,800 tokens of extracts take tens of seconds that the agent could not cancel. Afterwards the chat finds the
 * prompt already in the sequence and evaluates only its tail. Step sizes follow the measured speed, so batches stay as
 * large as the time allows.
 *
 * @param tokens the whole prompt as the chat will render it (or its stable beginning, with `until`).
 * @throws the signal's reason when aborted between two steps: what was read stays in the sequence.
 */
export async function readPromptInSteps(chat: LlamaChat, tokens: readonly Token[], signal: AbortSignal, options: PromptReadOptions = {}): Promise<PromptReadResult> {
  const sequence = chat.sequence;
  const end = Math.min(tokens.length, options.until ?? tokens.length - TAIL);
  // What the sequence already holds of this prompt (the system prompt, an earlier turn, a speculative reading) is
  // kept, the rest erased.
  await sequence.adaptStateToTokens([...tokens], false);
  const reused = Math.min(sequence.nextTokenIndex, end);
  let at = sequence.nextTokenIndex;
  let step = FIRST_STEP;
  let steps = 0;
  let readingMs = 0;
  const report = () => quietly(() => options.onStep?.({ inSequence: Math.min(at, end), target: end, steps }));
  report();
  const minStep = options.until === undefined ? MIN_STEP : 1;
  while (end - at >= minStep) {
    signal.throwIfAborted();
    const slice = tokens.slice(at, Math.min(at + step, end));
    const started = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(slice);
    const elapsed = Math.max(performance.now() - started, 1);
    readingMs += elapsed;
    at += slice.length;
    steps++;
    quietly(() => options.onSpeed?.((slice.length * 1000) / elapsed));
    report();
    // At most doubled per step: a small batch's speed overstates a large one's (attention grows with the batch).
    step = Math.min(MAX_STEP, step * 2, Math.max(MIN_STEP, Math.round((slice.length * STEP_MS) / elapsed)));
  }
  signal.throwIfAborted();
  return { reused, evaluated: Math.max(0, at - reused), steps, readingMs };
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // A listener's failure is not the reading's.
  }
}
