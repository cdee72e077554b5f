import type { z } from 'zod';

/** How a parameter is named to the reader: `k` for the engine's log, `--k` for the CLI. */
export type ParamNamer = (path: readonly PropertyKey[]) => string;

const defaultNamer: ParamNamer = (path) => (path.length > 0 ? path.map(String).join('.') : 'paramètres');

/**
 * Zod's validation issues as one French sentence per issue, naming the parameter and its limits
 * (« k doit être entre 1 et 10 »): what the agent or IT reads when a request is refused.
 */
export function describeIssues(schema: z.ZodType, error: z.ZodError, name: ParamNamer = defaultNamer): string {
  return error.issues.map((issue) => describeIssue(schema, issue, name)).join(' ; ');
}

function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue, name: ParamNamer): string {
  const field = name(issue.path);
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      const range = numberRange(schema, issue.path);
      if (range) return `${field} doit être entre ${fr(range.min)} et ${fr(range.max)}`;
      const bound = fr(Number(issue.code === 'too_small' ? issue.minimum : issue.maximum));
      const what = issue.origin === 'string' ? ' caractères' : issue.origin === 'array' ? ' éléments' : '';
      return `${field} doit avoir ${issue.code === 'too_small' ? 'au moins' : 'au plus'} ${bound}${what}`;
    }
    case 'invalid_type':
      return issue.input === undefined ? `${field} est obligatoire` : `${field} : type attendu ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `${field} doit valoir ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `paramètre${issue.keys.length > 1 ? 's' : ''} inconnu${issue.keys.length > 1 ? 's' : ''} : ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return `${field} n'a pas le format attendu (${issue.format})`;
    case 'custom':
      return /[À-ÿ]|^[A-Z]/.test(issue.message) ? `${field} : ${issue.message}` : `${field} est invalide`;
    default:
      return `${field} est invalide`;
  }
}

const TYPE_NAMES: Record<string, string> = { string: 'texte', number: 'nombre', int: 'entier', boolean: 'booléen', array: 'liste', object: 'objet' };

function fr(value: number): string {
  return value.toLocaleString('fr-FR');
}

/** The bounds of a number parameter, when the schema at that path has both. */
function numberRange(schema: z.ZodType, path: readonly PropertyKey[]): { min: number; max: number } | undefined {
  const leaf = unwrap(schemaAt(schema, path)) as { minValue?: number | null; maxValue?: number | null } | undefined;
  const min = leaf?.minValue;
  const max = leaf?.maxValue;
  if (typeof min !== 'number' || typeof max !== 'number') return undefined;
  if (!Number.isFinite(min) || !Number.isFinite(max) || Math.abs(max) >= Number.MAX_SAFE_INTEGER) return undefined;
  return { min, max };
}

function schemaAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current = schema;
  for (const key of path) {
    const shape = (unwrap(current) as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
    current = shape?.[String(key)];
  }
  return current;
}

/** Looks through optional, nullable and default wrappers. */
function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema as { _zod?: { def?: { innerType?: z.ZodType } } } | undefined;
  while (current?._zod?.def?.innerType) current = current._zod.def.innerType as typeof current;
  return current as z.ZodType | undefined;
}
