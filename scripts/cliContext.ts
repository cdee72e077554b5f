import type { Command } from 'commander';
import envPaths from 'env-paths';
import { resolve } from 'node:path';
import type { ResolvedSettings, SettingsSources } from '../assistant/settings/settingsStore.js';

/** What every command needs: where data lives, how to print, the resolved settings. Built once per run. */
export interface CliContext {
  dataDir: string;
  json: boolean;
  verbose: boolean;
  settingsSources: SettingsSources;
  settings: ResolvedSettings;
}

/**
 * What the program is built with. The machine policy's path is fixed per OS: no option or environment variable of
 * the user's can point it elsewhere; only a composition (the tests') passes another one.
 */
export interface CliComposition {
  /** Default: the OS's fixed path (`/etc/guichet/policy.json`, `%ProgramData%\\Guichet\\policy.json`). */
  policyPath?: string;
}

interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  verbose?: boolean;
}

const compositions = new WeakMap<Command, CliComposition>();

export function compose(program: Command, composition: CliComposition): void {
  compositions.set(program, composition);
}

/** The OS's per-user data folder: ~/.local/share/guichet, %LOCALAPPDATA%\guichet, ~/Library/Application Support/guichet. */
export function defaultDataDir(): string {
  return envPaths('guichet', { suffix: '' }).data;
}

export async function contextOf(command: Command): Promise<CliContext> {
  const options = command.optsWithGlobals<GlobalOptions>();
  let root = command;
  while (root.parent) root = root.parent;
  const composition = compositions.get(root) ?? {};
  // Loaded when a command runs, not at start: `guichet --help` needs none of it.
  const { defaultPolicyPath, loadSettings } = await import('../assistant/settings/settingsStore.js');
  const dataDir = resolve(options.dataDir ?? process.env.GUICHET_DATA_DIR ?? defaultDataDir());
  const settingsSources: SettingsSources = {
    policyPath: composition.policyPath ?? defaultPolicyPath(process.platform, process.env.ProgramData),
    userPath: resolve(dataDir, 'settings.json'),
    env: { GUICHET_THREADS: process.env.GUICHET_THREADS },
  };
  const settings = await loadSettings(settingsSources);
  const json = options.json === true;
  if (!json) for (const warning of settings.warnings) process.stderr.write(`Attention : ${warning.message}\n`);
  return { dataDir, json, verbose: options.verbose === true, settingsSources, settings };
}
