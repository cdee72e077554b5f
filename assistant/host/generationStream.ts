import type { GenerateRequest } from '../../native-models/modelRuntime.js';
import type { ContractStream } from '../contract/contractStream.js';
import type { GenerationEvent } from '../contract/engineContract.js';

/** Anything that opens the engine's `generate` stream: {@link EngineHost}, or an in-process client in tests. */
export interface GenerationSource {
  stream(method: 'generate', params: GenerateRequest, options: { signal?: AbortSignal }): ContractStream<GenerationEvent, unknown>;
}

/**
 * A generation's events, always ending with one `done`. On abort the engine stops at its next token and ends the
 * stream with `done { reason: 'aborted' }` and the text written so far; if it cannot (it died), the stream still ends
 * with such a `done`, built from the text received.
 */
export async function* generationEvents(source: GenerationSource, request: GenerateRequest, options: { signal?: AbortSignal } = {}): AsyncGenerator<GenerationEvent> {
  const started = performance.now();
  let text = '';
  let tokens = 0;
  let firstAt: number | undefined;
  try {
    for await (const event of source.stream('generate', request, options)) {
      if (event.type === 'token') {
        text += event.text;
        tokens += 1;
        firstAt ??= performance.now();
      }
      yield event;
      if (event.type === 'done') return;
    }
  } catch (error) {
    if (!(error instanceof Error && error.name === 'AbortError')) throw error;
  }
  const ended = performance.now();
  yield {
    type: 'done',
    reason: 'aborted',
    text,
    stats: {
      promptTokens: 0,
      evaluatedPromptTokens: 0,
      // Text chunks, not tokens: the engine's own count was lost with the abort.
      completionTokens: tokens,
      timeToFirstTokenMs: firstAt === undefined ? null : firstAt - started,
      durationMs: ended - started,
      tokensPerSecond: firstAt !== undefined && tokens > 1 ? ((tokens - 1) * 1000) / (ended - firstAt) : 0,
    },
  };
}
