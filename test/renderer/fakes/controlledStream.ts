/**
 * A `ContractStream` driven by the test: `emit` events one by one, `finish` with the result, or let the UI `cancel`
 * (then `onCancel` gives the partial result, as the engine does after « Arrêter »).
 */
import type { ContractStream } from '../../../renderer/src/lib/api/client.js';

export interface ControlledStream<E, R> {
  stream: ContractStream<E, R>;
  emit(event: E): Promise<void>;
  finish(result: R): Promise<void>;
  fail(error: unknown): Promise<void>;
  readonly cancelled: boolean;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export function controlledStream<E, R>(onCancel?: () => R): ControlledStream<E, R> {
  const queue: E[] = [];
  let waiting: ((value: IteratorResult<E>) => void) | undefined;
  let waitingFail: ((error: unknown) => void) | undefined;
  let ended = false;
  let failure: unknown;
  let cancelled = false;
  let resolveResult!: (value: R) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<R>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  result.catch(() => undefined);

  const end = () => {
    ended = true;
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const stream: ContractStream<E, R> = {
    result,
    cancel() {
      if (ended) return;
      cancelled = true;
      if (onCancel) resolveResult(onCancel());
      end();
    },
    [Symbol.asyncIterator]: () => ({
      next: () => {
        if (failure !== undefined) return Promise.reject(failure);
        const event = queue.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<E>>((resolve, reject) => {
          waiting = resolve;
          waitingFail = reject;
        });
      },
    }),
  };
  return {
    stream,
    get cancelled() {
      return cancelled;
    },
    async emit(event) {
      if (waiting) {
        const next = waiting;
        waiting = undefined;
        next({ value: event, done: false });
      } else queue.push(event);
      await settle();
    },
    async finish(value) {
      resolveResult(value);
      end();
      await settle();
    },
    async fail(error) {
      failure = error;
      rejectResult(error);
      waitingFail?.(error);
      await settle();
    },
  };
}

/** A stream that plays its events with a delay between them, then ends with its result. */
export function scriptedStream<E, R>(events: E[], result: R, delayMs = 0, onCancel?: () => R): ContractStream<E, R> {
  const control = controlledStream<E, R>(onCancel);
  void (async () => {
    for (const event of events) {
      if (control.cancelled) return;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (control.cancelled) return;
      await control.emit(event);
    }
    if (!control.cancelled) await control.finish(result);
  })();
  return control.stream;
}

/** A stream that emits its events and never ends until cancelled (`engine.status`). */
export function endlessStream<E>(events: E[]): ContractStream<E, null> {
  const control = controlledStream<E, null>(() => null);
  for (const event of events) void control.emit(event);
  return control.stream;
}
