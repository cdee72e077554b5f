/**
 * Shrinks what goes into a prompt until the model's own tokenizer says it fits: `size` (extracts kept, a budget in
 * tokens…) is cut in proportion to the measured overflow, by at least one each step, so that a few measures suffice
 * whatever the tokenizer. Used by the answers and the replies alike.
 * @param margin multiplies each cut's proportion (below 1 cuts a little more, for estimates that run short). Default 1.
 */
export async function shrinkToFit<T>(
  start: number,
  build: (size: number) => T,
  measure: (built: T) => Promise<number>,
  limit: number,
  options: { margin?: number; maxSteps?: number } = {},
): Promise<{ built: T; size: number }> {
  let size = start;
  let built = build(size);
  for (let step = 0; step < (options.maxSteps ?? 8); step++) {
    const tokens = await measure(built);
    if (tokens <= limit || size <= 0) break;
    size = Math.max(0, Math.min(size - 1, Math.floor(size * (limit / tokens) * (options.margin ?? 1))));
    built = build(size);
  }
  return { built, size };
}
