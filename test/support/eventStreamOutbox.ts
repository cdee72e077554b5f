import type { ServerResponse } from 'node:http';

/**
 * The stand-in's server-sent events, written once the current token has been handed back to the generation.
 *
 * Why: llama-server writes its HTTP responses on threads of their own, so sending a token costs its generation nothing.
 * The stand-in is one JavaScript thread, where node-llama-cpp reads the next token only after `onTextChunk` returns:
 * a socket write there (≈ 0,1 ms on loopback) slowed a 1 000-tokens/s model by about a tenth, and the bench then
 * measured the stand-in, not the remote runtime. Deferred by `setImmediate`, the write runs while llama.cpp evaluates
 * the next token; events that queue up in the meantime leave in one write, each still its own `data:` line.
 */
export class EventStreamOutbox {
  private pending: unknown[] = [];
  private scheduled = false;
  private flushedWaiters: (() => void)[] = [];

  constructor(private readonly response: ServerResponse) {}

  /** Queues one event (its JSON, or `[DONE]` as a raw string). */
  send(data: unknown): void {
    this.pending.push(data);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is queued now (before the connection is cut on purpose, say). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length > 0 && !this.response.destroyed) {
      this.response.write(this.pending.map((data) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join(''));
    }
    this.pending = [];
    for (const done of this.flushedWaiters.splice(0)) done();
  }

  /** Ends the response once every queued event is written. */
  async end(): Promise<void> {
    if (this.scheduled) await new Promise<void>((done) => this.flushedWaiters.push(done));
    this.response.end();
  }
}
