import type { LlamaChat, LlamaModel, Token } from 'node-llama-cpp';
import { historyOf, promptTokensOf } from './generation.js';
import type { ReadAheadOptions, ReadAheadRequest, ReadAheadResult } from './modelRuntime.js';
import { readPromptInSteps } from './promptReader.js';

/** Two different continuations of the known text: the tokens both renderings share are the stable beginning. */
const SENTINELS = [' Alpha', ' Zulu'] as const;

/**
 * The tokens of a prompt that do not depend on what will follow the last user message's known text. The history is
 * rendered twice, with two different continuations, by the model's own chat template; the common tokens are the
 * beginning any question will share (a tokenizer may merge the last characters with the next word: one more token
 * is left out to be safe).
 */
export function stableBeginning(chat: LlamaChat, model: LlamaModel, request: ReadAheadRequest): Token[] {
  const [a, b] = SENTINELS.map((sentinel) => {
    const messages = request.messages.map((message, index) => (index === request.messages.length - 1 ? { ...message, text: message.text + sentinel } : message));
    return promptTokensOf(chat, model, historyOf({ ...request, messages }));
  }) as [Token[], Token[]];
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.slice(0, Math.max(0, common - 1));
}

/** The figures of a speculative reading that ended without reading anything. */
export function idleReadAhead(state: ReadAheadResult['state']): ReadAheadResult {
  return { state, prefixTokens: 0, reusedTokens: 0, readTokens: 0, steps: 0, stepsAfterYield: 0, readingMs: 0 };
}

/** Why a running speculative reading was asked to stop, and at which of its steps. */
export interface Speculation {
  controller: AbortController;
  steps: number;
  stop?: { reason: 'superseded' | 'yielded'; atStep: number };
}

/** Asks a speculative reading to stop between two steps. */
export function stopSpeculation(speculation: Speculation | undefined, reason: 'superseded' | 'yielded'): void {
  if (!speculation || speculation.stop) return;
  speculation.stop = { reason, atStep: speculation.steps };
  speculation.controller.abort(new DOMException('Lecture anticipée interrompue.', 'AbortError'));
}

/**
 * Reads a prompt's stable beginning into the chat's sequence in ~100 ms steps. What the sequence already holds of it
 * is kept (the system prompt, the extracts that did not change); a stop leaves what was read in the sequence, for the
 * question that comes next.
 */
export async function runReadAhead(
  chat: LlamaChat,
  model: LlamaModel,
  request: ReadAheadRequest,
  speculation: Speculation,
  options: ReadAheadOptions & { onSpeed?: (tokensPerSecond: number) => void },
): Promise<ReadAheadResult> {
  const tokens = stableBeginning(chat, model, request);
  const signal = options.signal ? AbortSignal.any([options.signal, speculation.controller.signal]) : speculation.controller.signal;
  let reused = 0;
  let inSequence = 0;
  const started = performance.now();
  try {
    const read = await readPromptInSteps(chat, tokens, signal, {
      until: tokens.length,
      ...(options.onSpeed ? { onSpeed: options.onSpeed } : {}),
      onStep: (step) => {
        if (step.steps === 0) reused = step.inSequence;
        inSequence = step.inSequence;
        speculation.steps = step.steps;
        options.onProgress?.({ inContext: step.inSequence, total: step.target });
      },
    });
    return { state: 'read', prefixTokens: tokens.length, reusedTokens: read.reused, readTokens: read.evaluated, steps: read.steps, stepsAfterYield: 0, readingMs: read.readingMs };
  } catch (error) {
    if (!signal.aborted) throw error;
    const stop = speculation.stop;
    return {
      state: stop?.reason ?? 'stopped',
      prefixTokens: tokens.length,
      reusedTokens: reused,
      readTokens: Math.max(0, inSequence - reused),
      steps: speculation.steps,
      stepsAfterYield: stop ? speculation.steps - stop.atStep : 0,
      readingMs: performance.now() - started,
    };
  }
}
