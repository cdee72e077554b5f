import type { EngineModule } from '../contract/engineContract.js';
import type { REMOTE_METHODS, RemoteModels, RemoteStatus } from '../contract/methods/remoteMethods.js';
import { masksBeforeModel, remoteTarget } from '../settings/remotePolicy.js';
import type { SecretStore } from '../settings/remoteApiKey.js';
import { SettingsError } from '../settings/settingsError.js';
import type { SettingKey, Settings } from '../settings/settingsSchema.js';
import type { RuntimeSelection } from './runtimeSelection.js';

export interface RemoteModuleDeps {
  selection: RuntimeSelection;
  settings: Settings;
  secrets: SecretStore;
  /** Keys machine policy sets. */
  locked: () => Promise<readonly SettingKey[]>;
}

/** The shared model server's methods: what Paramètres shows, the server's models, the API key entered there. */
export function remoteModule(deps: RemoteModuleDeps): EngineModule<keyof typeof REMOTE_METHODS> {
  const { settings } = deps;
  /**
   * The server's address set aside by `remote.useLocalModel`: the live settings then name no server, so every use
   * case writes on this PC (as `--model` does for a CLI run). Saving a setting reloads the files and brings it back.
   */
  let setAside: string | null = null;
  const localForSession = (): boolean => setAside !== null && !settings['runtime.remote.url'];

  const status = async (): Promise<RemoteStatus> => {
    let host: string | null = null;
    let refusal: string | null = null;
    try {
      host = remoteTarget(settings)?.host ?? null;
    } catch (error) {
      refusal = error instanceof Error ? error.message : String(error);
    }
    return {
      allowed: settings['remote.allowed'],
      allowedHosts: settings['remote.allowedHosts'],
      url: settings['runtime.remote.url'],
      host,
      refusal,
      model: settings['runtime.remote.model'],
      keyFromPolicy: settings['remote.apiKeyFile'] !== null,
      hasStoredKey: (await deps.secrets.read().catch(() => undefined)) !== undefined,
      keyProtection: deps.secrets.protection,
      masking: masksBeforeModel(settings, await deps.locked(), Boolean(settings['runtime.remote.url'])),
      localForSession: localForSession(),
      setAsideHost: localForSession() ? hostOf(setAside ?? '') : null,
    };
  };

  return {
    handlers: {
      'remote.status': status,
      'remote.useLocalModel': async ({ enabled }) => {
        if (enabled && settings['runtime.remote.url']) {
          if ((await deps.locked()).includes('runtime.remote.url')) {
            throw new SettingsError('setting-locked', 'La politique du poste impose le serveur de modèle partagé (runtime.remote.url) : le modèle de ce poste ne peut pas le remplacer.');
          }
          setAside = settings['runtime.remote.url'];
          settings['runtime.remote.url'] = null;
          await deps.selection.reconnect();
        } else if (!enabled && localForSession()) {
          settings['runtime.remote.url'] = setAside;
          setAside = null;
        }
        return status();
      },
      'remote.models': async (_params, { signal }): Promise<RemoteModels> => {
        const listed = await deps.selection.remoteModels(signal);
        if (!listed) return { configured: false, models: [] };
        return { configured: true, url: listed.target.url, host: listed.target.host, models: listed.models };
      },
      'remote.setApiKey': async ({ apiKey }) => {
        await deps.secrets.write(apiKey);
        await deps.selection.reconnect();
        return null;
      },
      'remote.clearApiKey': async () => {
        await deps.secrets.clear();
        await deps.selection.reconnect();
        return null;
      },
    },
  };
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
