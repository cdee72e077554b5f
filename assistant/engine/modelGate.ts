import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { Settings } from '../settings/settingsSchema.js';
import { loadOptionsFromSettings } from './engineSettings.js';

/**
 * Loads the chat model a use case asks for (or the `runtime.modelPath` setting) unless it is the one loaded.
 * No path and nothing loaded: the use case runs without a model (search-only answers, library-only replies).
 */
export async function ensureModel(
  runtime: ModelRuntime,
  settings: Settings,
  path: string | undefined,
  control: { signal?: AbortSignal; onLoading?: () => void },
): Promise<void> {
  const wanted = path ?? settings['runtime.modelPath'] ?? undefined;
  if (!wanted) return;
  const status = runtime.status();
  if (status.state === 'ready' && status.model.path === wanted) return;
  control.onLoading?.();
  await runtime.load(loadOptionsFromSettings(settings, wanted), control.signal ? { signal: control.signal } : {});
}
