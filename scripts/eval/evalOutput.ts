import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssistantError } from '../../assistant/assistantError.js';
import { type EvalComparison, type EvalResults, isEvalResults } from '../../assistant/eval/evalResults.js';
import { renderReport } from './evalReport.js';

/** File names in a results folder. */
export const RESULTS_FILE = 'results.json';
export const REPORT_FILE = 'rapport.html';

/** Writes `results.json` (one run) and the HTML report (one run or several) into `dir`; returns their paths. */
export async function writeEvalOutput(dir: string, runs: EvalComparison['runs'], results?: EvalResults): Promise<{ results: string; report: string }> {
  await mkdir(dir, { recursive: true });
  const resultsPath = join(dir, RESULTS_FILE);
  const reportPath = join(dir, REPORT_FILE);
  await writeFile(resultsPath, `${JSON.stringify(results ?? { runs: runs.map((r) => ({ source: r.source, results: r.results })) }, null, 2)}\n`);
  await writeFile(reportPath, await renderReport({ runs }));
  return { results: resultsPath, report: reportPath };
}

/**
 * Reads the runs to compare: each folder's `results.json` (an earlier comparison's runs are taken in too).
 * @throws AssistantError `eval-results-invalid`, naming the folder.
 */
export async function readRuns(dirs: readonly string[]): Promise<EvalComparison['runs']> {
  const runs: EvalComparison['runs'] = [];
  for (const dir of dirs) {
    const path = join(dir, RESULTS_FILE);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new AssistantError('eval-results-invalid', `Pas de résultats lisibles dans ${dir} (${RESULTS_FILE} absent ou illisible).`, { cause });
    }
    if (isEvalResults(value)) runs.push({ source: dir, results: value });
    else if (isComparison(value)) runs.push(...value.runs);
    else throw new AssistantError('eval-results-invalid', `${path} n'est pas un fichier de résultats de « guichet eval » (schéma guichet-eval/1).`);
  }
  return runs;
}

function isComparison(value: unknown): value is EvalComparison {
  return typeof value === 'object' && value !== null && Array.isArray((value as { runs?: unknown }).runs) && (value as EvalComparison).runs.every((run) => isEvalResults(run?.results));
}
