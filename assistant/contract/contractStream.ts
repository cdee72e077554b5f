/**
 * A streaming call: iterate its events, read its result. `cancel()` (or the call's signal, or leaving a `for await`
 * early) asks the server to stop; the stream still ends the server's way — with what it had, for a method that keeps
 * partial work (`ask`: the draft written so far, its sources and its saved message id).
 */
export interface ContractStream<E, R> extends AsyncIterable<E> {
  /** The method's result; after a cancel, its partial result (or an `AbortError` for methods that keep nothing). */
  readonly result: Promise<R>;
  /** Asks the server to stop. Safe to call at any time, and twice. */
  cancel(): void;
}

/** Options of one call. */
export interface CallOptions<E = unknown> {
  /** Aborting cancels the call: a plain call rejects at once with an `AbortError`; a stream ends the server's way. */
  signal?: AbortSignal;
  /** Each event, in order, besides the iteration. A listener that throws is reported and the call goes on. */
  onEvent?: (event: E) => void;
}
