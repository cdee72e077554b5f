import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { Settings } from '../settings/settingsSchema.js';
import { loadOptionsFromSettings } from '../settings/modelLoadOptions.js';
import { remoteTarget } from '../settings/remotePolicy.js';

/** The installed models, as the gate needs them (`ModelLibrary.list`). */
export type InstalledModels = () => Promise<{ installed: { path: string; addedAt: string; fit: { verdict: string } }[] }>;

/**
 * Loads the chat model a use case asks for — else the `runtime.modelPath` setting, else the most recently installed
 * model that fits in memory — unless it is the one loaded. Nothing installed: the use case runs without a model
 * (search-only answers, library-only replies).
 */
export async function ensureModel(
  runtime: ModelRuntime,
  settings: Settings,
  path: string | undefined,
  control: { signal?: AbortSignal; onLoading?: (message: string) => void; installed?: InstalledModels },
): Promise<void> {
  const status = runtime.status();
  if (settings['runtime.remote.url']) return ensureRemote(runtime, settings, control);
  const explicit = path ?? settings['runtime.modelPath'] ?? undefined;
  if (!explicit && status.state === 'ready') return;
  const wanted = explicit ?? (await bestInstalled(control.installed));
  if (!wanted) return;
  if (status.state === 'ready' && status.model.path === wanted) return;
  control.onLoading?.('Chargement du modèle de langue…');
  await runtime.load(loadOptionsFromSettings(settings, wanted), {
    ...(control.signal ? { signal: control.signal } : {}),
    onMeasuring: (device) =>
      control.onLoading?.(
        device === 'cpu'
          ? 'Première utilisation de ce modèle sur ce poste : mesure de sa vitesse sur le processeur…'
          : `Première utilisation de ce modèle sur ce poste : mesure de sa vitesse sur le GPU (${device})…`,
      ),
  });
}

/**
 * The shared server's model, chosen once per server and model (a `GET /models`): policy is checked by the runtime,
 * which throws `RemoteModelError` when the server is refused or unreachable.
 */
async function ensureRemote(runtime: ModelRuntime, settings: Settings, control: { signal?: AbortSignal; onLoading?: (message: string) => void }): Promise<void> {
  const status = runtime.status();
  const target = remoteTarget(settings);
  const model = settings['runtime.remote.model'];
  const remote = status.state === 'ready' ? status.model.remote : undefined;
  if (remote && remote.url === target?.url && (!model || remote.model === model)) return;
  control.onLoading?.('Connexion au serveur de modèle partagé…');
  await runtime.load({ path: model ?? '', contextSize: settings['runtime.contextSize'] }, control.signal ? { signal: control.signal } : {});
}

async function bestInstalled(installed: InstalledModels | undefined): Promise<string | undefined> {
  if (!installed) return undefined;
  const { installed: models } = await installed().catch(() => ({ installed: [] }));
  const fitting = models.filter((model) => model.fit.verdict !== 'too-large');
  return fitting.sort((a, b) => b.addedAt.localeCompare(a.addedAt))[0]?.path;
}
