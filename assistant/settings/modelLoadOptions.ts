import type { LoadModelOptions } from '../../native-models/modelRuntime.js';
import type { Settings } from './settingsSchema.js';

/**
 * The load options of a model from the resolved settings (policy > `GUICHET_THREADS` > user > defaults): threads,
 * device and context size travel with each load, so the engine process needs no settings of its own.
 */
export function loadOptionsFromSettings(settings: Settings, path: string): LoadModelOptions {
  return {
    path,
    threads: settings['runtime.threads'],
    gpu: settings['runtime.gpu'],
    contextSize: settings['runtime.contextSize'],
    gpuMemoryMiB: settings['runtime.gpuMemoryMiB'],
  };
}
