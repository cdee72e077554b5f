/**
 * `npm run eval:piaf`: converts Etalab's PIAF sets (../shared/eval/piaf/) into Guichet's question-set format
 * (docs/eval/README.md), written to docs/eval/questions-piaf.json. Only the annotated questions convert: the
 * autocomplete CSV points to téléservices and help pages (no fiche), and the search log holds no gold answer.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { piafToEvalSet } from '../../assistant/eval/piafSet.js';
import { projectRoot } from '../projectRoot.js';

const root = projectRoot().path;
const source = process.argv[2] ?? join(root, '../shared/eval/piaf/spf_qr_test.json');
const target = process.argv[3] ?? join(root, 'docs/eval/questions-piaf.json');
const set = piafToEvalSet(JSON.parse(await readFile(source, 'utf8')), {
  name: 'PIAF (Etalab) — questions annotées de service-public.fr',
  description:
    "Converti de spf_qr_test.json (etalab-ia/piaf-ml, commit a7d222fd, licence MIT © DINUM/Etalab ; texte des fiches © DILA, Licence Ouverte v2.0) par scripts/eval/convertPiaf.ts. Fiche attendue : celle de l'article ; faits : montants et durées des réponses annotées. Les questions reprennent souvent le titre de la fiche : elles mesurent un plancher, pas la difficulté des questions posées au guichet. Jeu public, déjà vu par les développeurs : ce n'est pas un jeu à l'aveugle.",
  kind: 'piaf',
});
await writeFile(target, `${JSON.stringify(set, null, 2)}\n`);
process.stdout.write(`${set.questions.length} questions écrites dans ${target} (${set.questions.filter((q) => q.facts).length} avec des faits attendus).\n`);
