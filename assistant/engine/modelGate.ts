import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { Settings } from '../settings/settingsSchema.js';
import { loadOptionsFromSettings } from '../settings/modelLoadOptions.js';

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

async function bestInstalled(installed: InstalledModels | undefined): Promise<string | undefined> {
  if (!installed) return undefined;
  const { installed: models } = await installed().catch(() => ({ installed: [] }));
  const fitting = models.filter((model) => model.fit.verdict !== 'too-large');
  return fitting.sort((a, b) => b.addedAt.localeCompare(a.addedAt))[0]?.path;
}
