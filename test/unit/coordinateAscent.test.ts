import { describe, expect, it } from 'vitest';
import { coordinateAscent } from '../../assistant/eval/coordinateAscent.js';

describe('coordinateAscent', () => {
  it('climbs each weight towards the best value and stops when no step helps', async () => {
    const objective = async (w: Readonly<{ a: number; b: number }>) => -((w.a - 0.4) ** 2) - (w.b - 2) ** 2;
    const result = await coordinateAscent({ a: 0.1, b: 1 }, objective, { factors: [0.5, 0.8, 1.25, 2], maxRounds: 20 });
    expect(result.weights.a).toBeCloseTo(0.4, 1);
    expect(result.weights.b).toBeCloseTo(2, 1);
    expect(result.value).toBeGreaterThan(-0.01);
  });

  it('drops a useless weight to zero and keeps a floor', async () => {
    const objective = async (w: Readonly<{ noise: number; k: number }>) => -w.noise - w.k;
    const result = await coordinateAscent({ noise: 0.3, k: 10 }, objective, { factors: [0, 0.5], minimum: { k: 1 } });
    expect(result.weights).toEqual({ noise: 0, k: 1 });
  });

  it('keeps the start when every step is worse, after one trial per factor and weight', async () => {
    const trials: number[] = [];
    const result = await coordinateAscent({ a: 1 }, async (w) => -Math.abs(w.a - 1), { factors: [0.5, 2], onTrial: (_, value) => trials.push(value) });
    expect(result.weights).toEqual({ a: 1 });
    expect(trials).toHaveLength(2);
    expect(result.trials).toBe(3);
  });
});
