import { InsufficientMemoryError, type Llama, LlamaCompletion, type LlamaContext, type LlamaModel, type LlamaModelOptions } from 'node-llama-cpp';
import type { LlamaBackends } from './llamaBackends.js';
import { ModelError } from './modelError.js';

/** How to place a model: on which llama.cpp instance, how many layers on its GPU. */
export interface Placement {
  llama: Llama;
  gpuLayers: LlamaModelOptions['gpuLayers'];
}

/**
 * Loads the weights with llama.cpp. A failure is explained with llama.cpp's own log lines (it says there which
 * tensor is out of bounds or which value is invalid).
 *
 * @throws ModelError `model-unreadable` when llama.cpp refuses the file, `model-too-large` when node-llama-cpp's
 *   own memory check refuses it; an `AbortError` when `signal` aborts.
 */
export async function loadWeights(
  backends: LlamaBackends,
  placement: Placement,
  path: string,
  fileName: string,
  control: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<LlamaModel> {
  backends.clearLog();
  try {
    return await placement.llama.loadModel({
      modelPath: path,
      gpuLayers: placement.gpuLayers,
      ...(control.signal ? { loadSignal: control.signal } : {}),
      onLoadProgress: (fraction) => {
        try {
          control.onProgress?.(fraction);
        } catch {
          // A listener cannot break a load.
        }
      },
    });
  } catch (error) {
    if (control.signal?.aborted) throw control.signal.reason ?? error;
    throw llamaFailure(error, backends, fileName, path);
  }
}

/**
 * Creates the context (the KV cache) with an exact size and thread count; node-llama-cpp's shrink-and-retry is off
 * because the pre-flight already chose a size that fits.
 */
export async function createContext(
  backends: LlamaBackends,
  model: LlamaModel,
  options: { contextSize: number; threads: number; fileName: string; path: string },
): Promise<LlamaContext> {
  backends.clearLog();
  try {
    return await model.createContext({ contextSize: options.contextSize, threads: options.threads, failedCreationRemedy: false });
  } catch (error) {
    throw llamaFailure(error, backends, options.fileName, options.path);
  }
}

/** Measures tokens per second of a short greedy completion on a placement; for {@link DeviceProbe}. */
export async function measureSpeed(backends: LlamaBackends, placement: Placement, path: string, threads: number): Promise<number> {
  const model = await loadWeights(backends, placement, path, path);
  try {
    const context = await model.createContext({ contextSize: 512, threads, failedCreationRemedy: false });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      // A warm-up token first: the first evaluation pays for buffer allocation and shader compilation.
      await completion.generateCompletion('Bonjour,', { maxTokens: 1, temperature: 0 });
      const started = performance.now();
      let tokens = 0;
      await completion.generateCompletion(' voici la démarche à suivre pour', {
        maxTokens: 24,
        temperature: 0,
        onToken: (chunk) => {
          tokens += chunk.length;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      return seconds > 0 ? tokens / seconds : 0;
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

function llamaFailure(error: unknown, backends: LlamaBackends, fileName: string, path: string): ModelError {
  if (error instanceof ModelError) return error;
  const log = backends.recentLog();
  if (error instanceof InsufficientMemoryError) {
    return new ModelError('model-too-large', `Le modèle ${fileName} ne tient pas dans la mémoire disponible : essayez un contexte plus petit (runtime.contextSize) ou une quantification plus petite.`, {
      file: path,
      cause: error.message,
    });
  }
  const reason = log.find((line) => /error loading model|invalid|not within|missing|wrong shape|failed/i.test(line)) ?? log.at(-1);
  return new ModelError(
    'model-unreadable',
    `Le modèle ${fileName} est illisible ou incompatible : llama.cpp a refusé de le charger${reason ? ` (${reason.replace(/^.*?error loading model:\s*/, '')})` : ''}.`,
    { file: path, cause: [error instanceof Error ? error.message : String(error), ...log].join('\n') },
  );
}
