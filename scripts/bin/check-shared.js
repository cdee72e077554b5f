#!/usr/bin/env node
// The integration and end-to-end tests read the real DILA feeds and model files in ../shared, beside the clone: say
// so plainly when they are absent. Run by .ci/run and by the integration tests' global setup (test/support/
// globalSetup.ts); the unit tests need none of it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const shared = fileURLToPath(new URL('../../../shared/', import.meta.url));
const needed = [
  'corpus/dila/vosdroits-part-2020-11-12.zip',
  'corpus/dila/vosdroits-pro-2020-11-12.zip',
  'corpus/dila/vosdroits-asso-2020-11-12.zip',
  'models/stories260K.gguf',
  'models/llama-2-tiny-random.gguf',
  'models/embedder-synthetic-minilm/onnx/model.onnx',
  'eval/piaf/filtered_spf_qr_test.json',
];
const missing = needed.filter((file) => !existsSync(shared + file));
if (missing.length > 0) {
  console.error(`ERREUR : les données de test sont absentes de ${shared}`);
  for (const file of missing) console.error(`  - manquant : ${file}`);
  console.error('Clonez le dépôt à côté du dossier « shared » (../shared) qui contient les flux DILA et les petits modèles.');
  console.error('Les tests unitaires, eux, tournent sans ces données : npm run test:unit.');
  process.exit(1);
}
