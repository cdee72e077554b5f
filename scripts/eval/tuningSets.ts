import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { frenchFixed } from '../../assistant/contract/frenchNumbers.js';
import { parseEvalSet, type EvalQuestion } from '../../assistant/eval/questionSet.js';
import type { RetrievalScores } from '../../assistant/knowledge/retrievalEval.js';
import { projectRoot } from '../projectRoot.js';

export interface QuestionSet {
  name: string;
  questions: EvalQuestion[];
}

/**
 * The question sets given, or the tuning sets (every test/fixtures/agent-questions*.json), with their gold fiches:
 * what the fitting commands learn from. Never a blind set: a set they have seen is a tuning set.
 */
export async function readTuningSets(files: readonly string[]): Promise<QuestionSet[]> {
  const fixtures = join(projectRoot().path, 'test/fixtures');
  const paths = files.length > 0 ? files : (await readdir(fixtures)).filter((name) => /^agent-questions.*\.json$/.test(name)).sort().map((name) => join(fixtures, name));
  return Promise.all(
    paths.map(async (path) => {
      const questions = parseEvalSet(JSON.parse(await readFile(path, 'utf8')), basename(path)).filter((question) => question.gold.length > 0);
      return { name: basename(path), questions };
    }),
  );
}

/** Recall and MRR as the fitting commands print them. */
export function describeScores(figures: RetrievalScores): string {
  return `recall@1 ${frenchFixed(figures.recallAt1, 3)}, recall@5 ${frenchFixed(figures.recallAt5, 3)}, MRR ${frenchFixed(figures.mrr, 3)}`;
}
