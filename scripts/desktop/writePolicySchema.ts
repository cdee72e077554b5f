/**
 * Writes the machine policy's published JSON Schema, generated from the settings' zod schema:
 * `npm run policy:schema` → docs/policy.schema.json (shipped in the packages). test/unit/policySchema.test.ts fails
 * when the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { policyJsonSchema } from '../../assistant/settings/machinePolicy.js';

export const POLICY_SCHEMA_FILE = join(import.meta.dirname, '..', '..', 'docs', 'policy.schema.json');

/** The file's exact text. */
export function policySchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  await writeFile(POLICY_SCHEMA_FILE, policySchemaText());
  console.log(`Schéma de la politique écrit : ${POLICY_SCHEMA_FILE}`);
}
