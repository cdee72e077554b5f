/**
 * Runs tasks one at a time per key, in call order, and different keys in parallel. The stores use it so that two
 * appends to one conversation (or an append and a delete) never interleave their writes.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `task` after every task queued before it under `key`; its result or error is the caller's. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(() => task());
    // A failed task must not block the ones behind it: the chain continues on settlement, not on success.
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      // Forget idle keys so that a long session does not keep one entry per conversation ever touched.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }
}
