import { describe, expect, it } from 'vitest';
import { mapCitations, parseCitations } from '../../assistant/ask/citations.js';

describe('parseCitations', () => {
  it('reads single, grouped, ranged and adjacent references', () => {
    const text = 'Mairie [1]. Photo [2, 3] ; empreintes [4-6] et signature [1][2]. Voir [n°7] et [extrait 8].';
    expect(parseCitations(text).map((mark) => mark.n)).toEqual([1, 2, 3, 4, 5, 6, 1, 2, 7, 8]);
  });

  it('ignores brackets that are not extract numbers', () => {
    expect(parseCitations('[à compléter] [lien](https://x.fr) [] [1a] [2019-2020]')).toEqual([]);
  });

  it('finds nothing in an answer without references', () => {
    expect(parseCitations('Les extraits ne permettent pas de répondre.')).toEqual([]);
  });
});

describe('mapCitations', () => {
  const extracts = ['A', 'B', 'C'];

  it('maps numbers to extracts, each once, in order of first citation', () => {
    const check = mapCitations('x [2] y [1] z [2] w [2, 1]', extracts);
    expect(check.cited).toEqual([{ n: 2, extract: 'B' }, { n: 1, extract: 'A' }]);
    expect(check.validity).toBe(1);
    expect(check.total).toBe(5);
  });

  it('reports numbers out of range and lowers validity', () => {
    const check = mapCitations('ok [1], inventé [4], zéro [0], encore [4]', extracts);
    expect(check.cited.map((c) => c.n)).toEqual([1]);
    expect(check.invalid).toEqual([4, 0]);
    expect(check.validity).toBeCloseTo(1 / 4);
  });

  it('is fully valid when there is no citation', () => {
    expect(mapCitations('rien', extracts)).toEqual({ cited: [], invalid: [], validity: 1, total: 0 });
  });

  it('copes with malformed brackets', () => {
    expect(mapCitations('[1 [2] ]3] [[3]]', extracts).cited.map((c) => c.n)).toEqual([2, 3]);
  });
});
