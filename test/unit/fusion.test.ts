import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from '../../corpus/search/fusion.js';

describe('reciprocalRankFusion', () => {
  it('adds the votes of each list and ranks by the sum', () => {
    const fused = reciprocalRankFusion([
      { keys: ['a', 'b', 'c'], weight: 1 },
      { keys: ['b', 'c', 'a'], weight: 1 },
      { keys: ['b'], weight: 1 },
    ]);
    expect(fused.map((entry) => entry.key)).toEqual(['b', 'a', 'c']);
    expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 2) + 2 / (RRF_K + 1));
  });

  it('counts a key once per list, at its best rank', () => {
    const fused = reciprocalRankFusion([{ keys: ['a', 'a', 'b'], weight: 1 }]);
    expect(fused).toEqual([
      { key: 'a', score: 1 / (RRF_K + 1) },
      { key: 'b', score: 1 / (RRF_K + 2) },
    ]);
  });

  it('honours weights and empty lists', () => {
    const fused = reciprocalRankFusion([
      { keys: ['a'], weight: 1 },
      { keys: ['b'], weight: 2 },
      { keys: [], weight: 5 },
    ]);
    expect(fused.map((entry) => entry.key)).toEqual(['b', 'a']);
  });
});
