/**
 * `npm run eval:poids -- --donnees <dossier> [--validation] [jeu.json…]`: fits the re-rank weights
 * (corpus/search/rerankWeights.ts) again, by coordinate ascent on recall@1 + recall@5 + MRR of the tuning sets
 * (default: every test/fixtures/agent-questions*.json), each question searched within its audience, full-text, on
 * the index of the data folder given. `--validation` also fits once per set left out and measures that set with
 * weights it did not help choose: the figure to trust. It prints the weights to copy into rerankWeights.ts; it never
 * writes them itself. Never run it on a blind set: a set it has seen is a tuning set.
 */
import { parseArgs } from 'node:util';
import { frenchFixed } from '../../assistant/contract/frenchNumbers.js';
import { RERANK_WEIGHTS, type RerankWeights, fitRerankWeights, measureWeights, openFitIndex } from '../../assistant/eval/rerankFit.js';
import type { EvalQuestion } from '../../assistant/eval/questionSet.js';
import { scores } from '../../assistant/knowledge/retrievalEval.js';
import { describeScores as describe, readTuningSets } from './tuningSets.js';

const { values, positionals } = parseArgs({
  options: { donnees: { type: 'string' }, validation: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const dataDir = values.donnees ?? process.env.GUICHET_DATA_DIR;
if (!dataDir) throw new Error('Indiquez le dossier de données qui contient l’index : --donnees <dossier> (ou GUICHET_DATA_DIR).');
const index = await openFitIndex(dataDir);
const sets = await readTuningSets(positionals);
const all = sets.flatMap((set) => set.questions);
process.stdout.write(`${sets.length} jeu${sets.length > 1 ? 'x' : ''}, ${all.length} questions ; départ : ${describe(await measureWeights(index, RERANK_WEIGHTS, all))}\n`);

const fitted = await fit(all);
process.stdout.write(`\nPoids ajustés sur les ${all.length} questions : ${describe(await measureWeights(index, fitted, all))}\n`);
for (const name of Object.keys(RERANK_WEIGHTS) as (keyof RerankWeights)[]) {
  process.stdout.write(`  ${name.padEnd(9)} ${frenchFixed(RERANK_WEIGHTS[name], 3)} → ${frenchFixed(fitted[name], 3)}\n`);
}
if (values.validation) await crossValidate();
index.close();

async function fit(questions: readonly EvalQuestion[]): Promise<RerankWeights> {
  return fitRerankWeights(index, questions, { onTrial: (value) => process.stderr.write(`  essai : ${frenchFixed(value, 3)}\r`) });
}

/** Each set measured with weights fitted on the others only, against today's weights on the same set. */
async function crossValidate(): Promise<void> {
  const held: { rank: number | null }[] = [];
  const today: { rank: number | null }[] = [];
  for (const set of sets) {
    const weights = await fit(sets.filter((other) => other !== set).flatMap((other) => other.questions));
    const measured = await measureWeights(index, weights, set.questions);
    held.push(...measured.perQuestion);
    today.push(...(await measureWeights(index, RERANK_WEIGHTS, set.questions)).perQuestion);
    process.stdout.write(`  ${set.name} mis de côté : ${describe(measured)}\n`);
  }
  process.stdout.write(`Validation croisée (chaque jeu mesuré avec des poids ajustés sans lui) : ${describe(scores(held))}\n`);
  process.stdout.write(`Poids actuels, mêmes questions : ${describe(scores(today))}\n`);
}
