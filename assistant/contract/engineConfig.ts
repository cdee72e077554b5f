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
  /**
   * What the shell found of encryption at rest: `sealed` (the key comes to the engine outside this JSON: see
   * {@link HISTORY_KEY_VARIABLE}), or `plain` with the French reason shown in the app and `health`. Absent (CLI, web
   * shell): plain, unless the data dir holds the desktop app's wrapped key, which they cannot unwrap.
   */
  atRest?: { state: 'sealed' } | { state: 'plain'; warning: string };
}

/**
 * The history key's only way into the engine: this variable of the engine process's own environment (readable by the
 * same user only, unlike the command line), read and deleted at start by engineMain. Base64 of 32 bytes.
 */
export const HISTORY_KEY_VARIABLE = 'GUICHET_HISTORY_KEY';

/** The desktop app's history key, wrapped by the OS keystore (Electron safeStorage), in the data dir. */
export const WRAPPED_KEY_FILE = 'cle-historique.bin';

/** The greeting the engine sends on its IPC channel once it serves requests. */
export const ENGINE_READY = 'guichet-engine-ready';

/**
 * The engine's only argument when the host forked it before knowing its configuration (the CLI, to load the engine's
 * modules while it parses its own arguments): the engine then sends {@link ENGINE_AWAITING_CONFIG} and waits for
 * `{ type: ENGINE_CONFIG, config }` on its channel.
 */
export const CONFIG_FROM_HOST = '--config-from-host';
export const ENGINE_AWAITING_CONFIG = 'guichet-engine-awaiting-config';
export const ENGINE_CONFIG = 'guichet-engine-config';


/**
 * The host's request to end, on a channel that cannot disconnect (Electron's `parentPort`): the engine releases the
 * model and exits; the host kills it if it has not after a grace period.
 */
export const ENGINE_SHUTDOWN = 'guichet-engine-shutdown';
