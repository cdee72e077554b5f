import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMachinePolicy, policyJsonSchema } from '../../assistant/settings/machinePolicy.js';
import { POLICY_FIELD_DOCS } from '../../assistant/settings/policyFieldDocs.js';
import { SETTING_KEYS } from '../../assistant/settings/settingsSchema.js';
import { POLICY_SCHEMA_FILE, policySchemaText } from '../../scripts/desktop/writePolicySchema.js';

const DEPLOIEMENT = join(import.meta.dirname, '..', '..', 'docs', 'deploiement.md');

describe('the published policy schema', () => {
  it('is the committed docs/policy.schema.json (regenerate: npm run policy:schema)', async () => {
    expect(await readFile(POLICY_SCHEMA_FILE, 'utf8')).toBe(policySchemaText());
  });

  it('documents every key in French, and refuses any other key', () => {
    const schema = policyJsonSchema() as { properties: Record<string, { description?: string }>; additionalProperties: unknown };
    expect(SETTING_KEYS.filter((key) => !POLICY_FIELD_DOCS[key])).toEqual([]);
    for (const key of SETTING_KEYS) expect(schema.properties[key]?.description, key).toBe(POLICY_FIELD_DOCS[key]);
    expect(schema.additionalProperties).toBe(false);
  });

  it('every policy example of docs/deploiement.md is valid, and documents every key', async () => {
    const text = await readFile(DEPLOIEMENT, 'utf8');
    const examples = [...text.matchAll(/```json politique\n([\s\S]*?)```/g)].map((match) => match[1]!);
    expect(examples.length).toBeGreaterThan(1);
    for (const example of examples) expect(parseMachinePolicy(example, 'exemple')).toMatchObject({ state: 'applied' });
    for (const key of SETTING_KEYS) expect(text, key).toContain(`\`${key}\``);
  });
});
