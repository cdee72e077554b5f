import type { EngineModule } from '../contract/engineContract.js';
import type { REMOTE_METHODS, RemoteModels, RemoteStatus } from '../contract/methods/remoteMethods.js';
import { masksBeforeModel, remoteTarget } from '../settings/remotePolicy.js';
import type { SecretStore } from '../settings/remoteApiKey.js';
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
  return {
    handlers: {
      'remote.status': async (): Promise<RemoteStatus> => {
        const { settings } = deps;
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
          masking: masksBeforeModel(settings, await deps.locked(), Boolean(settings['runtime.remote.url'])),
        };
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
