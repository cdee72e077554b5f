import type { Settings } from '../settings/settingsSchema.js';
import type { SettingsSources } from '../settings/settingsStore.js';

/** What the host passes to the engine process, as JSON, its last argument. */
export interface EngineConfig {
  /** The user's data dir: index, conversations, feedback; device choices are remembered under `models/`. */
  dataDir: string;
  /** The resolved settings (policy > environment > user > defaults), loaded once by the shell. Default: defaults. */
  settings?: Settings;
  /** Where settings come from, so that `settings.set` can write the user's file; absent: read-only settings. */
  settingsSources?: SettingsSources;
}

/** The greeting the engine sends on its IPC channel once it serves requests. */
export const ENGINE_READY = 'guichet-engine-ready';


/**
 * The host's request to end, on a channel that cannot disconnect (Electron's `parentPort`): the engine releases the
 * model and exits; the host kills it if it has not after a grace period.
 */
export const ENGINE_SHUTDOWN = 'guichet-engine-shutdown';
