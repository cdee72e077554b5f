/** The vocabulary learnt from agents' questions (`npm run eval:vocabulaire`), through the real search on the full index. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitVocabulary, heldOutVocabularies, validateVocabulary, vocabularyModule } from '../../assistant/eval/vocabularyFit.js';
import { scores } from '../../assistant/knowledge/retrievalEval.js';
import { IndexLayout } from '../../corpus/index/indexLayout.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { LEARNED_VOCABULARY } from '../../corpus/search/learnedVocabulary.js';
import { readTuningSets, type QuestionSet } from '../../scripts/eval/tuningSets.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

let index: SearchIndex;
let sets: QuestionSet[];
beforeAll(async () => {
  index = await SearchIndex.open(new IndexLayout(await sharedFullIndex()));
  sets = await readTuningSets([]);
});
afterAll(() => index.close());

describe('learnt vocabulary (vocabularyFit)', () => {
  it('ships exactly what the tuning sets teach: learnt again, the module is the same file', async () => {
    const learned = fitVocabulary(index, sets);
    expect(learned).toEqual(LEARNED_VOCABULARY);
    const file = await readFile(new URL('../../corpus/search/learnedVocabulary.ts', import.meta.url), 'utf8');
    const provenance = /learn it again\. (.*)$/m.exec(file)?.[1] ?? '';
    expect(provenance).toMatch(/from \d+ sets/);
    expect(vocabularyModule(learned, provenance)).toBe(file);
  });

  it('gives each set what the other sets teach, never its own questions (how the weights are fitted)', () => {
    const three = sets.slice(0, 3);
    const held = heldOutVocabularies(index, three);
    expect(held.map((set) => set.name)).toEqual(three.map((set) => set.name));
    expect(held[0]?.learned).toEqual(fitVocabulary(index, three.slice(1)));
    expect(held[2]?.learned).toEqual(fitVocabulary(index, three.slice(0, 2)));
  });

  it('helps a writer it never read: each set left out gains from the others', async () => {
    const validation = await validateVocabulary(index, sets);
    expect(validation.perSet).toHaveLength(sets.length);
    expect(validation.perSet.every((set) => set.words > 100)).toBe(true);
    // Measured on 2026-12-04 with the fiches' phrasings (34 sets): recall@1 0,620 → 0,684, recall@5 0,892 → 0,915.
    expect(scores(validation.held).recallAt1).toBeGreaterThan(scores(validation.without).recallAt1 + 0.04);
    expect(scores(validation.held).recallAt5).toBeGreaterThan(scores(validation.without).recallAt5 + 0.01);
  });
});
