/**
 * The events of one stream, buffered until read: pushed as they arrive, read once by an async iterator, ended with
 * or without an error. Nothing is lost when the reader is slower than the writer or starts late. A reader that
 * leaves early (`break` out of `for await`) calls `onLeave`: the stream's owner cancels the request.
 */
export class EventQueue<E> implements AsyncIterable<E> {
  private readonly buffered: E[] = [];

  constructor(private readonly onLeave?: () => void) {}

  private waiting: { resolve: (step: IteratorResult<E>) => void; reject: (error: Error) => void } | undefined;
  private ended: { error?: Error } | undefined;

  push(event: E): void {
    if (this.ended) return;
    const reader = this.waiting;
    this.waiting = undefined;
    if (reader) reader.resolve({ value: event, done: false });
    else this.buffered.push(event);
  }

  /** No more events; a reader gets `error` once the buffered events are read. Later calls are ignored. */
  end(error?: Error): void {
    if (this.ended) return;
    this.ended = error ? { error } : {};
    const reader = this.waiting;
    this.waiting = undefined;
    if (!reader) return;
    if (error) reader.reject(error);
    else reader.resolve({ value: undefined, done: true });
  }

  /**
   * The stream a queue reads, ended by its result: quietly when it resolves or was aborted, with the error otherwise.
   * `stop` is what `cancel()` does. The result's rejection is handled here: a reader of the events only is not warned.
   */
  streamOf<R>(result: Promise<R>, stop: () => void): { result: Promise<R>; cancel(): void; [Symbol.asyncIterator](): AsyncIterator<E> } {
    result.then(
      () => this.end(),
      (error: unknown) => this.end(error instanceof Error && error.name !== 'AbortError' ? error : undefined),
    );
    result.catch(() => {});
    return { result, cancel: stop, [Symbol.asyncIterator]: () => this[Symbol.asyncIterator]() };
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: (): Promise<IteratorResult<E>> => {
        if (this.buffered.length > 0) return Promise.resolve({ value: this.buffered.shift() as E, done: false });
        if (this.ended) return this.ended.error ? Promise.reject(this.ended.error) : Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = { resolve, reject };
        });
      },
      return: (): Promise<IteratorResult<E>> => {
        this.buffered.length = 0;
        if (!this.ended) this.onLeave?.();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
