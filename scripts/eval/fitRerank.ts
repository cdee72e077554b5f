/**
 * `npm run eval:poids -- --donnees <dossier> [--validation] [jeu.json…]`: fits the re-rank weights
 * (corpus/search/rerankWeights.ts) again, by coordinate ascent on recall@1 + recall@5 + MRR of the tuning sets
 * (default: every test/fixtures/agent-questions*.json), each question searched within its audience, full-text, on
 * the index of the data folder given, and each set with the vocabulary learnt from the other sets (the shipped one
 * was learnt from these very questions). `--validation` also fits once per set left out (out of the vocabularies
 * too) and measures that set with weights it did not help choose: the figure to trust. It prints the
 * weights to copy into rerankWeights.ts; it never writes them itself. Never run it on a blind set: a set it has seen
 * is a tuning set.
 */
import { parseArgs } from 'node:util';
import { frenchFixed } from '../../assistant/contract/frenchNumbers.js';
import { RERANK_WEIGHTS, type RerankWeights, fitRerankWeights, measureSets, openFitIndex } from '../../assistant/eval/rerankFit.js';
import { heldOutVocabularies, type WriterSet } from '../../assistant/eval/vocabularyFit.js';
import { scores, type EvalQuestionResult } from '../../assistant/knowledge/retrievalEval.js';
import { describeScores as describe, readTuningSets } from './tuningSets.js';

const { values, positionals } = parseArgs({
  options: { donnees: { type: 'string' }, validation: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const dataDir = values.donnees ?? process.env.GUICHET_DATA_DIR;
if (!dataDir) throw new Error('Indiquez le dossier de données qui contient l’index : --donnees <dossier> (ou GUICHET_DATA_DIR).');
const index = await openFitIndex(dataDir);
const sets = await readTuningSets(positionals);
const held = heldOutVocabularies(index, sets);
const count = held.reduce((sum, set) => sum + set.questions.length, 0);
process.stdout.write(`${sets.length} jeu${sets.length > 1 ? 'x' : ''}, ${count} questions, chacun avec le vocabulaire appris des autres ; départ : ${describe(await measureSets(index, RERANK_WEIGHTS, held))}\n`);

const fitted = await fit(sets);
process.stdout.write(`\nPoids ajustés sur les ${count} questions : ${describe(await measureSets(index, fitted, held))}\n`);
for (const name of Object.keys(RERANK_WEIGHTS) as (keyof RerankWeights)[]) {
  process.stdout.write(`  ${name.padEnd(16)} ${frenchFixed(RERANK_WEIGHTS[name], 3)} → ${frenchFixed(fitted[name], 3)}\n`);
}
if (values.validation) await crossValidate();
index.close();

/** Weights fitted on these sets, each searched with the vocabulary the others teach (never a set left out of them). */
async function fit(fitted: readonly WriterSet[]): Promise<RerankWeights> {
  return fitRerankWeights(index, heldOutVocabularies(index, fitted), {
    onTrial: (value) => process.stderr.write(`  essai : ${frenchFixed(value, 3)}\r`),
  });
}

/** Each set measured with weights fitted on the others only, against today's weights on the same set. */
async function crossValidate(): Promise<void> {
  const heldOut: EvalQuestionResult[] = [];
  const today: EvalQuestionResult[] = [];
  for (const set of held) {
    const weights = await fit(sets.filter((other) => other.name !== set.name));
    const measured = await measureSets(index, weights, [set]);
    heldOut.push(...measured.perQuestion);
    today.push(...(await measureSets(index, RERANK_WEIGHTS, [set])).perQuestion);
    process.stdout.write(`  ${set.name} mis de côté : ${describe(measured)}\n`);
  }
  process.stdout.write(`Validation croisée (chaque jeu mesuré avec des poids ajustés sans lui) : ${describe(scores(heldOut))}\n`);
  process.stdout.write(`Poids actuels, mêmes questions : ${describe(scores(today))}\n`);
}
