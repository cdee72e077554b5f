/** Weight of the newest step in the running average. */
const WEIGHT = 0.3;

/**
 * The loaded model's prompt reading speed, tokens/s: a running average of the reading steps' speeds (each ~100 ms),
 * so that one step slowed by another program does not swing it. Reset when another model is loaded.
 */
export class ReadingSpeed {
  private average: number | undefined;

  /** Records one step's speed (bound: it is passed around as a listener). */
  readonly record = (tokensPerSecond: number): void => {
    if (!Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return;
    this.average = this.average === undefined ? tokensPerSecond : this.average * (1 - WEIGHT) + tokensPerSecond * WEIGHT;
  };

  tokensPerSecond(): number | undefined {
    return this.average;
  }

  reset(): void {
    this.average = undefined;
  }
}
