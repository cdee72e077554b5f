import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { SettingsError } from './settingsError.js';
import { dirname, win32 } from 'node:path';
export { SettingsError } from './settingsError.js';
import type { SettingKey, Settings } from './settingsSchema.js';
import { SETTINGS_SCHEMA, defaultSettings, isSettingKey } from './settingsSchema.js';
import { LOCKDOWN_SETTINGS, readMachinePolicy } from './machinePolicy.js';
import { isPolicyOnly, policyOnlyMessage } from './remotePolicy.js';

/** Where the settings come from. The shell builds this once; core code never reads the environment. */
export interface SettingsSources {
  /** Machine policy written by IT; absent file = no policy. */
  policyPath: string;
  /** The user's own settings, in the data dir. */
  userPath: string;
  /** Environment overrides (`GUICHET_THREADS`). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A problem met while loading settings, shown to the agent or IT (French) — never fatal. */
export interface SettingsWarning {
  source: 'policy' | 'user' | 'env';
  message: string;
}

export interface ResolvedSettings {
  values: Settings;
  /** Keys set by machine policy: shown as locked, refused on `set`. */
  locked: SettingKey[];
  warnings: SettingsWarning[];
  /** How the machine policy was read: `broken` carries the French reason, also among the warnings. */
  policy: PolicyStatus;
}

/** The machine policy's state as the shells show it (no values: those are in `values` and `locked`). */
export type PolicyStatus = { state: 'absent' | 'applied'; path: string } | { state: 'broken'; path: string; reason: string };


/** The machine policy's path for this OS. */
export function defaultPolicyPath(platform: NodeJS.Platform = process.platform, programData?: string): string {
  if (platform === 'win32') return win32.join(programData ?? 'C:\\ProgramData', 'Guichet', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Guichet/policy.json';
  return '/etc/guichet/policy.json';
}

/** Policy > environment > user settings > defaults. Corrupt files fall back visibly, never throw. */
export async function loadSettings(sources: SettingsSources): Promise<ResolvedSettings> {
  const warnings: SettingsWarning[] = [];
  const values = defaultSettings();
  const user = await readLayer(sources.userPath, 'user', warnings);
  Object.assign(values, user ?? {});
  Object.assign(values, envLayer(sources.env ?? {}, warnings));
  // Machine policy last: nothing above (user file, environment) can override it.
  const policy = await readMachinePolicy(sources.policyPath);
  if (policy.state === 'broken') {
    // IT meant to restrict something we cannot read: keep data on the PC until the file is fixed.
    warnings.push({ source: 'policy', message: policy.reason });
    Object.assign(values, LOCKDOWN_SETTINGS);
    return { values, locked: Object.keys(LOCKDOWN_SETTINGS) as SettingKey[], warnings, policy };
  }
  const set = policy.state === 'applied' ? policy.values : {};
  Object.assign(values, set);
  return { values, locked: Object.keys(set) as SettingKey[], warnings, policy: { state: policy.state, path: policy.path } };
}

/** Changes one user setting and writes the file atomically; refuses a key locked by policy. */
export async function saveUserSetting(
  sources: SettingsSources,
  key: string,
  value: unknown,
): Promise<ResolvedSettings> {
  if (!isSettingKey(key)) throw new SettingsError('setting-unknown', `Réglage inconnu : « ${key} ».`);
  if (isPolicyOnly(key)) throw new SettingsError('setting-locked', policyOnlyMessage(key));
  const current = await loadSettings(sources);
  if (current.locked.includes(key)) {
    throw new SettingsError('setting-locked', `Le réglage « ${key} » est fixé par la politique de votre service informatique.`);
  }
  const parsed = SETTINGS_SCHEMA[key].safeParse(value);
  if (!parsed.success) {
    throw new SettingsError('setting-invalid', `Valeur refusée pour « ${key} ».`, { cause: parsed.error });
  }
  const user = (await readJson(sources.userPath)) ?? {};
  const next = { ...(isPlainObject(user) ? user : {}), [key]: parsed.data };
  try {
    await mkdir(dirname(sources.userPath), { recursive: true });
    const temp = `${sources.userPath}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { flush: true });
    await rename(temp, sources.userPath);
  } catch (cause) {
    throw new SettingsError('settings-unwritable', `Impossible d'enregistrer les réglages dans ${sources.userPath}.`, { cause });
  }
  return loadSettings(sources);
}

/** The user's file: a corrupt one falls back to the defaults, visibly. */
async function readLayer(path: string, source: 'user', warnings: SettingsWarning[]): Promise<Partial<Settings> | undefined> {
  let raw: unknown;
  try {
    raw = await readJson(path);
  } catch (cause) {
    warnings.push({ source, message: `Le fichier de réglages (${path}) est illisible : réglages par défaut utilisés. (${String(cause)})` });
    return undefined;
  }
  if (raw === undefined) return undefined;
  if (!isPlainObject(raw)) {
    warnings.push({ source, message: `${path} doit contenir un objet JSON : fichier ignoré.` });
    return undefined;
  }
  return validLayer(raw, source, path, warnings);
}

function validLayer(
  raw: Record<string, unknown>,
  source: 'policy' | 'user' | 'env',
  origin: string,
  warnings: SettingsWarning[],
): Partial<Settings> {
  const layer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isSettingKey(key)) {
      warnings.push({ source, message: `Réglage inconnu « ${key} » dans ${origin} : ignoré.` });
      continue;
    }
    if (source !== 'policy' && isPolicyOnly(key)) {
      warnings.push({ source, message: `${policyOnlyMessage(key, true)} (${origin})` });
      continue;
    }
    const parsed = SETTINGS_SCHEMA[key].safeParse(value);
    if (parsed.success) layer[key] = parsed.data;
    else warnings.push({ source, message: `Valeur invalide pour « ${key} » dans ${origin} : ignorée.` });
  }
  return layer as Partial<Settings>;
}

function envLayer(env: Readonly<Record<string, string | undefined>>, warnings: SettingsWarning[]): Partial<Settings> {
  const raw: Record<string, unknown> = {};
  if (env.GUICHET_THREADS) raw['runtime.threads'] = Number(env.GUICHET_THREADS);
  return validLayer(raw, 'env', 'GUICHET_THREADS', warnings);
}

/** `undefined` when the file does not exist; throws on unreadable or invalid JSON. */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
