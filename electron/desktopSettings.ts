import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineConfig } from '../assistant/contract/engineConfig.js';
import { defaultPolicyPath, loadSettings, type ResolvedSettings, type SettingsSources } from '../assistant/settings/settingsStore.js';

/** The desktop's settings, resolved once at start, and the engine's configuration built from them. */
export interface DesktopSettings {
  resolved: ResolvedSettings;
  engineConfig: EngineConfig;
}

/**
 * Loads the settings as the CLI and `guichet serve` do: the machine policy at the OS's fixed path (nothing the user
 * controls points elsewhere) over the user's `settings.json` in the data folder (Electron's `userData`).
 */
export async function desktopSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env, shippedPack?: string): Promise<DesktopSettings> {
  const sources: SettingsSources = {
    policyPath: defaultPolicyPath(process.platform, env.ProgramData),
    userPath: join(dataDir, 'settings.json'),
    env: { GUICHET_THREADS: env.GUICHET_THREADS },
  };
  const resolved = await loadSettings(sources);
  // The corpus pack shipped in the package (resources/corpus) is the first run's source, unless policy or the agent
  // named another one.
  if (shippedPack && resolved.values['corpus.packPath'] === null && existsSync(shippedPack)) resolved.values['corpus.packPath'] = shippedPack;
  for (const warning of resolved.warnings) console.warn(`[guichet] ${warning.message}`);
  return { resolved, engineConfig: { dataDir, settings: resolved.values, settingsSources: sources } };
}
