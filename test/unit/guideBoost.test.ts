import { describe, expect, it } from 'vitest';
import { withGuides, type Scored } from '../../corpus/search/guideBoost.js';

// Fused scores on the scale of RRF_K = 10: a first rank in one retriever is about 0,09.
const head: Scored[] = [
  { key: 'particuliers:F909', score: 0.3 },
  { key: 'particuliers:F14935', score: 0.24 },
  { key: 'particuliers:F2504', score: 0.18 },
  { key: 'particuliers:F1', score: 0.12 },
];
const guides = new Map([
  ['particuliers:F16507', new Set(['F909', 'F14935', 'F2504'])],
  ['associations:F3109', new Set(['F909', 'F14935'])],
  ['particuliers:F33362', new Set(['F999'])],
]);

describe('guides in the re-rank (withGuides)', () => {
  it('brings in the guide that points to the head, up to third place and no higher', () => {
    const ranked = withGuides(head, guides).map((entry) => entry.key);
    expect(ranked.slice(0, 4)).toEqual(['particuliers:F909', 'particuliers:F14935', 'particuliers:F16507', 'particuliers:F2504']);
  });

  it('leaves out guides of another audience and guides that point to none of the head', () => {
    const ranked = withGuides(head, guides).map((entry) => entry.key);
    expect(ranked).not.toContain('associations:F3109');
    expect(ranked).not.toContain('particuliers:F33362');
    expect(ranked).toHaveLength(5);
  });

  it('keeps a guide that ranks first by its own score first', () => {
    const ranked = withGuides([{ key: 'particuliers:F16507', score: 0.36 }, ...head], guides);
    expect(ranked[0]).toEqual({ key: 'particuliers:F16507', score: 0.36 });
  });

  it('gives a guide that points to one low fiche less than one that points to the best ones', () => {
    const few = new Map([
      ['particuliers:G1', new Set(['F1'])],
      ['particuliers:G2', new Set(['F909', 'F14935'])],
    ]);
    const long = [...head, ...Array.from({ length: 6 }, (_, i) => ({ key: `particuliers:X${i}`, score: 0.006 }))];
    const scores = new Map(withGuides(long, few).map((entry) => [entry.key, entry.score]));
    expect(scores.get('particuliers:G2')).toBeGreaterThan(scores.get('particuliers:G1') ?? 0);
  });

  it('returns an empty head unchanged', () => {
    expect(withGuides([], guides)).toEqual([]);
  });
});
