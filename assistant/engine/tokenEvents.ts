import { TokenBatcher } from './tokenBatcher.js';

/**
 * A stream's emitter whose `token` events are grouped by {@link TokenBatcher} (one per screen frame at most), every
 * other event flushing the pending text first so that the order of events is kept.
 */
export function batchedTokens<E extends { type: string }>(emit: (event: E) => void, tokenEvent: (text: string) => E): { emit: (event: E) => void; flush(): void } {
  const batcher = new TokenBatcher((text) => emit(tokenEvent(text)));
  return {
    emit(event) {
      if (event.type === 'token') {
        batcher.push((event as unknown as { text: string }).text);
        return;
      }
      batcher.flush();
      emit(event);
    },
    flush: () => batcher.flush(),
  };
}
