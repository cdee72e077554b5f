/**
 * Random choices a failure can be replayed from: a small seeded generator (mulberry32). The seed is printed by the
 * test that uses it; `GUICHET_TEST_SEED=<seed>` replays that run's choices.
 */
export interface SeededRandom {
  readonly seed: number;
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [from, to]. */
  int(from: number, to: number): number;
}

export function seededRandom(seed = seedFromEnvironment()): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { seed: seed >>> 0, next, int: (from, to) => from + Math.floor(next() * (to - from + 1)) };
}

/** `GUICHET_TEST_SEED` when set (a failure being replayed), else a fresh seed. */
export function seedFromEnvironment(): number {
  const given = process.env.GUICHET_TEST_SEED;
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`GUICHET_TEST_SEED invalide : « ${given} » (un entier de 0 à 4294967295).`);
    return seed;
  }
  return Math.floor(Math.random() * 0x1_0000_0000);
}
