/**
 * Coordinate ascent over named weights: each weight in turn is scaled by each factor, and a change is kept when it
 * raises the objective; rounds go on until one changes nothing. Slow (one objective call per trial) but it needs no
 * gradient, which a rank-based measure such as recall has not.
 */
export interface AscentOptions<K extends string> {
  /** Multipliers tried on each weight, 0 (drop it) included when a weight may vanish. */
  factors: readonly number[];
  /** Lower bound per weight (a fusion constant stays ≥ 1). */
  minimum?: Partial<Record<K, number>>;
  maxRounds?: number;
  onTrial?: (weights: Readonly<Record<K, number>>, value: number) => void;
}

export interface AscentResult<K extends string> {
  weights: Record<K, number>;
  value: number;
  trials: number;
}

export async function coordinateAscent<K extends string>(
  start: Readonly<Record<K, number>>,
  objective: (weights: Readonly<Record<K, number>>) => Promise<number>,
  options: AscentOptions<K>,
): Promise<AscentResult<K>> {
  let weights = { ...start };
  let value = await objective(weights);
  let trials = 1;
  const names = Object.keys(start) as K[];
  for (let round = 0; round < (options.maxRounds ?? 5); round++) {
    let improved = false;
    for (const name of names) {
      for (const factor of options.factors) {
        const tried = Math.max(options.minimum?.[name] ?? 0, round3(weights[name] * factor));
        if (tried === weights[name]) continue;
        const candidate = { ...weights, [name]: tried };
        const candidateValue = await objective(candidate);
        trials++;
        options.onTrial?.(candidate, candidateValue);
        // A strict gain only: ties keep the weights already there, so the ascent ends.
        if (candidateValue > value + 1e-9) {
          weights = candidate;
          value = candidateValue;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return { weights, value, trials };
}

/** Weights are reported to three decimals: finer steps fit the sets' noise, not the search. */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
