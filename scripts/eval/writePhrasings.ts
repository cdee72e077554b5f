/**
 * `npm run corpus:formulations -- --donnees <dossier> [--manquantes <fichier.json>] [--retirer-absentes] [--ecrire]
 * [formulations.json…]`: the phrasings of the fiches (corpus/search/fichePhrasings.ts), merged with the files given
 * (later files win), checked, and counted against the fiches of the index (run it on an index of every source the
 * app embeds: `corpus import --from embarque`). `--manquantes` writes the fiches that have none, in the form the
 * writers read (docs/eval/phrasing-brief.md); `--retirer-absentes` drops the phrasings of fiches the index no longer
 * has; `--ecrire` writes the merged phrasings into corpus/search/fichePhrasings.ts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { frenchNumber } from '../../assistant/contract/frenchNumbers.js';
import { FICHE_PHRASINGS, fichesWithoutPhrasings, mergePhrasings, parsePhrasings, phrasingsModule } from '../../assistant/eval/phrasingsModule.js';
import { openFitIndex } from '../../assistant/eval/rerankFit.js';
import { projectRoot } from '../projectRoot.js';

const { values, positionals } = parseArgs({
  options: {
    donnees: { type: 'string' },
    manquantes: { type: 'string' },
    'retirer-absentes': { type: 'boolean', default: false },
    ecrire: { type: 'boolean', default: false },
  },
  allowPositionals: true,
});
const dataDir = values.donnees ?? process.env.GUICHET_DATA_DIR;
if (!dataDir) throw new Error('Indiquez le dossier de données qui contient l’index : --donnees <dossier> (ou GUICHET_DATA_DIR).');
const index = await openFitIndex(dataDir);
const known = new Set([...index.allSummaries()].filter((summary) => summary.searchable).map((summary) => summary.id));
const files = await Promise.all(positionals.map(async (path) => parsePhrasings(JSON.parse(await readFile(path, 'utf8')), basename(path))));
const phrasings = mergePhrasings([FICHE_PHRASINGS, ...files], values['retirer-absentes'] ? (id) => known.has(id) : undefined);
const ids = Object.keys(phrasings);
const covered = ids.filter((id) => known.has(id)).length;
const total = Object.values(phrasings).flat().length;
process.stdout.write(`${frenchNumber(covered, 0)} fiches de l’index sur ${frenchNumber(known.size, 0)} ont des formulations (${frenchNumber(total, 0)} formulations)\n`);
if (ids.length > covered) process.stdout.write(`${frenchNumber(ids.length - covered, 0)} fiches absentes de l’index gardent les leurs (--retirer-absentes pour les retirer)\n`);
const count = ids.length;
if (values.manquantes) {
  const missing = await fichesWithoutPhrasings(index, phrasings);
  await writeFile(values.manquantes, `${JSON.stringify(missing, null, 1)}\n`);
  process.stdout.write(`${frenchNumber(missing.length, 0)} fiches sans formulations : ${values.manquantes}\n`);
}
if (values.ecrire) {
  const path = join(projectRoot().path, 'corpus/search/fichePhrasings.ts');
  const day = new Date().toISOString().slice(0, 10);
  await writeFile(path, phrasingsModule(phrasings, `Written on ${day} for ${count} fiches.`));
  process.stdout.write(`Écrit : ${path}\n`);
}
index.close();
