/**
 * Groups generated text into events at most every `intervalMs`. A 7B model on a PC makes a token every 100–200 ms:
 * each is sent at once. A small model makes one per millisecond: one IPC message per token would cost the generation
 * a few percent (the engine's JavaScript thread also drives llama.cpp), while the eye cannot tell 16 ms apart.
 * The first text is always sent at once, so the time to first token is untouched.
 */
export class TokenBatcher {
  private pending = '';
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param send receives the grouped text.
   * @param intervalMs minimum time between two sends, ms. Default 16 (one screen frame); 0 sends every piece.
   */
  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = 16,
  ) {}

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    const wait = this.lastSent + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Sends what is pending now (call it before the final event). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.lastSent = performance.now();
    this.send(text);
  }
}
