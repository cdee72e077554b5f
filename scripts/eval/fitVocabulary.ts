/**
 * `npm run eval:vocabulaire -- --donnees <dossier> [--validation] [--ecrire] [jeu.json…]`: learns the agents'
 * vocabulary (corpus/search/learnedVocabulary.ts) from the tuning sets (default: every
 * test/fixtures/agent-questions*.json) on the index of the data folder given. `--validation` leaves each set out in
 * turn, learns from the others and measures it against no learnt vocabulary: the figure to trust. `--ecrire` writes
 * the vocabulary learnt from all the sets into corpus/search/learnedVocabulary.ts. Never run it on a blind set: a set
 * it has seen is a tuning set.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { frenchNumber } from '../../assistant/contract/frenchNumbers.js';
import { openFitIndex } from '../../assistant/eval/rerankFit.js';
import { fitVocabulary, validateVocabulary, vocabularyModule } from '../../assistant/eval/vocabularyFit.js';
import { scores, type EvalQuestionResult } from '../../assistant/knowledge/retrievalEval.js';
import { projectRoot } from '../projectRoot.js';
import { describeScores, readTuningSets } from './tuningSets.js';

const describe = (results: readonly EvalQuestionResult[]) => describeScores(scores(results));

const { values, positionals } = parseArgs({
  options: { donnees: { type: 'string' }, validation: { type: 'boolean', default: false }, ecrire: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const dataDir = values.donnees ?? process.env.GUICHET_DATA_DIR;
if (!dataDir) throw new Error('Indiquez le dossier de données qui contient l’index : --donnees <dossier> (ou GUICHET_DATA_DIR).');
const index = await openFitIndex(dataDir);
const sets = await readTuningSets(positionals);
const questions = sets.reduce((sum, set) => sum + set.questions.length, 0);
const learned = fitVocabulary(index, sets);
process.stdout.write(`${sets.length} jeux, ${frenchNumber(questions, 0)} questions : ${frenchNumber(Object.keys(learned).length, 0)} mots appris\n`);

if (values.validation) {
  const validation = await validateVocabulary(index, sets, (name) => process.stderr.write(`  ${name} mis de côté\r`));
  for (const set of validation.perSet) {
    process.stdout.write(`  ${set.name} (${set.words} mots appris des autres) : ${describe(set.without)} → ${describe(set.held)}\n`);
  }
  process.stdout.write(`Validation croisée, sans → avec le vocabulaire appris des autres jeux : ${describe(validation.without)} → ${describe(validation.held)}\n`);
  const paraphrases = (results: EvalQuestionResult[]) => results.filter((result) => result.kind === 'paraphrase');
  process.stdout.write(`  dont paraphrases : ${describe(paraphrases(validation.without))} → ${describe(paraphrases(validation.held))}\n`);
}
if (values.ecrire) {
  const path = join(projectRoot().path, 'corpus/search/learnedVocabulary.ts');
  const day = new Date().toISOString().slice(0, 10);
  await writeFile(path, vocabularyModule(learned, `Learnt on ${day} from ${sets.length} sets, ${questions} questions.`));
  process.stdout.write(`Écrit : ${path}\n`);
}
index.close();
