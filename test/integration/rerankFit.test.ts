/** The re-rank weights as data (`npm run eval:poids`): measured and fitted through the real search on the full index. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitRerankWeights, measureWeights, objective } from '../../assistant/eval/rerankFit.js';
import { parseEvalSet, type EvalQuestion } from '../../assistant/eval/questionSet.js';
import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { RERANK_WEIGHTS } from '../../corpus/search/rerankWeights.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

let index: SearchIndex;
let questions: EvalQuestion[];
beforeAll(async () => {
  index = await SearchIndex.open(new IndexLayout(await sharedFullIndex()));
  const file = 'agent-questions-heldout.json';
  questions = parseEvalSet(JSON.parse(await readFile(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')), file);
});
afterAll(() => index.close());

describe('re-rank weights (rerankFit)', () => {
  it('changes the ranks when a weight changes: without the title match, fewer gold fiches come first', async () => {
    const fitted = await measureWeights(index, RERANK_WEIGHTS, questions);
    const noTitle = await measureWeights(index, { ...RERANK_WEIGHTS, title: 0 }, questions);
    expect(noTitle.recallAt1).toBeLessThan(fitted.recallAt1);
  });

  it('fits from poor weights to better ones: the title match weight grows back', async () => {
    const start = { ...RERANK_WEIGHTS, title: 0.02, coverage: 0.02 };
    const before = objective(await measureWeights(index, start, questions));
    const trials: number[] = [];
    const fitted = await fitRerankWeights(index, [{ questions }], { factors: [2, 4], maxRounds: 1, onTrial: (value) => trials.push(value) }, start);
    // Each weight is tried at both factors, except those at 0, which no factor moves (the prior, since 2026-12-04).
    const movable = Object.values(start).filter((weight) => weight !== 0).length;
    expect(movable).toBeGreaterThan(5);
    expect(trials).toHaveLength(movable * 2);
    expect(fitted.title).toBeGreaterThan(start.title);
    expect(objective(await measureWeights(index, fitted, questions))).toBeGreaterThan(before);
  });
});
