import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { POLICY_FIELD_DOCS } from './policyFieldDocs.js';
import { isSettingKey, SETTINGS_SCHEMA, type SettingKey, type Settings } from './settingsSchema.js';

/**
 * The machine policy: IT's JSON file (`/etc/guichet/policy.json`, `%ProgramData%\\Guichet\\policy.json`), the same
 * flat dotted keys as the settings, each one it sets locked for the user. Validated strictly against
 * {@link POLICY_SCHEMA} (published as docs/policy.schema.json): one unknown key or wrong value and the whole file is
 * « broken », and Guichet starts locked down ({@link LOCKDOWN_SETTINGS}) saying why — IT meant to restrict something we
 * cannot read. Its path is fixed per OS; no environment variable or user setting overrides it.
 */
export const POLICY_SCHEMA = z
  .object({ $schema: z.string().optional(), ...partialShape() })
  .strict();

function partialShape(): { [K in SettingKey]: z.ZodOptional<(typeof SETTINGS_SCHEMA)[K]> } {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(SETTINGS_SCHEMA)) shape[key] = (schema as z.ZodType).optional();
  return shape as { [K in SettingKey]: z.ZodOptional<(typeof SETTINGS_SCHEMA)[K]> };
}

/**
 * What a broken policy leaves on: nothing leaves the PC (downloads, feed fetches, corpus updates, the remote runtime)
 * until IT fixes the file; the agent keeps searching, asking the local model and their history. Keys of other blocks
 * (`remote.allowed`) apply when the schema has them.
 */
const LOCKDOWN: Readonly<Record<string, unknown>> = {
  'network.allowDownloads': false,
  'corpus.autoFetch': false,
  'features.corpusUpdate': false,
  'remote.allowed': false,
};
export const LOCKDOWN_SETTINGS: Partial<Settings> = Object.fromEntries(Object.entries(LOCKDOWN).filter(([key]) => isSettingKey(key))) as Partial<Settings>;

/** The policy as read: absent (no file), applied (its keys), or broken (French reason, for the app and `health`). */
export type MachinePolicy =
  | { state: 'absent'; path: string }
  | { state: 'applied'; path: string; values: Partial<Settings> }
  | { state: 'broken'; path: string; reason: string };

/** Reads and validates the policy file; never throws. */
export async function readMachinePolicy(path: string): Promise<MachinePolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent', path };
    return broken(path, `le fichier ne peut pas être lu (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseMachinePolicy(text, path);
}

/** Validates a policy's text (the file's content). */
export function parseMachinePolicy(text: string, path: string): MachinePolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return broken(path, `ce n’est pas du JSON valide (${(error as Error).message})`);
  }
  const parsed = POLICY_SCHEMA.safeParse(raw);
  if (!parsed.success) return broken(path, parsed.error.issues.slice(0, 5).map(describeIssue).join(' ; '));
  // Only the keys IT wrote: zod fills in the defaults of the others, which must stay the user's to choose.
  const written = new Set(Object.keys(raw as object));
  const values = Object.fromEntries(Object.entries(parsed.data).filter(([key]) => key !== '$schema' && written.has(key)));
  return { state: 'applied', path, values: values as Partial<Settings> };
}

function broken(path: string, why: string): MachinePolicy {
  return {
    state: 'broken',
    path,
    reason: `La politique machine (${path}) est invalide : ${why}. Guichet démarre en mode restreint (téléchargements, mises à jour en ligne et modèle distant désactivés) jusqu’à sa correction par le service informatique.`,
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `« ${issue.path.join('.')} »` : 'le fichier';
  if (issue.code === 'unrecognized_keys') return `clé${issue.keys.length > 1 ? 's' : ''} inconnue${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `« ${k} »`).join(', ')}`;
  if (issue.code === 'invalid_type') return `${where} : type attendu ${issue.expected}`;
  return `${where} : valeur refusée`;
}

/** The published JSON Schema of the policy file (docs/policy.schema.json), generated from the settings' zod schema. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(POLICY_SCHEMA, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> & { properties: Record<string, Record<string, unknown>> };
  for (const [key, property] of Object.entries(schema.properties)) {
    // A key absent from the file is not set: no default to publish, only what each value means.
    delete property.default;
    const doc = key === '$schema' ? 'Adresse de ce schéma, pour les éditeurs (ignorée par Guichet).' : POLICY_FIELD_DOCS[key as SettingKey];
    if (doc) property.description = doc;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://guichet.local/policy.schema.json',
    title: 'Politique machine de Guichet',
    description: 'Fichier /etc/guichet/policy.json ou %ProgramData%\\Guichet\\policy.json. Chaque clé présente fixe le réglage et le verrouille pour l’agent. Référence : docs/deploiement.md.',
    ...schema,
  };
}
