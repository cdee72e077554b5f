import type { GuichetMethods } from '../assistant/contract/engineMethods.js';
import type { ParamsIn } from '../assistant/contract/method.js';
import { CliUsageError } from './cliOutput.js';

/**
 * Checks a command's parameters against the method table before the engine starts, and names the CLI's options in
 * the French message (« --k doit être entre 1 et 10 »): a usage error, exit code 2.
 * @param options parameter name → option name (`{ k: '--k', maxTokens: '--max-tokens' }`).
 */
export async function checkedParams<M extends keyof GuichetMethods>(
  method: M,
  params: ParamsIn<GuichetMethods[M]>,
  options: Record<string, string> = {},
): Promise<ParamsIn<GuichetMethods[M]>> {
  const [{ GUICHET_METHODS }, { describeIssues }] = await Promise.all([import('../assistant/contract/engineMethods.js'), import('../assistant/contract/paramsIssues.js')]);
  const schema = GUICHET_METHODS[method].params;
  const parsed = schema.safeParse(params);
  if (parsed.success) return params;
  const name = (path: readonly PropertyKey[]) => options[String(path[0])] ?? (path.length > 0 ? path.map(String).join('.') : 'la demande');
  throw new CliUsageError(`${capitalise(describeIssues(schema, parsed.error, name))}.`);
}

/** An option's value as an integer; its range is the table's business (see {@link checkedParams}). */
export function integerOption(value: string, option: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isInteger(number)) throw new CliUsageError(`${option} attend un nombre entier (reçu : ${value}).`);
  return number;
}

function capitalise(text: string): string {
  return text.startsWith('--') ? text : text.charAt(0).toUpperCase() + text.slice(1);
}
