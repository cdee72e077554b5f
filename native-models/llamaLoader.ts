import { InsufficientMemoryError, type Llama, LlamaCompletion, type LlamaContext, type LlamaModel, type LlamaModelOptions } from 'node-llama-cpp';
import type { DeviceSpeed } from './deviceProbe.js';
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

/** Tokens of prompt read when measuring a device: long enough for a GPU's batched evaluation to show. */
const MEASURED_PROMPT_TOKENS = 256;
const WARM_UP_TEXT = 'Madame, Monsieur, je vous écris au sujet de ma demande de logement social, déposée il y a deux ans.';
const SAMPLE_TEXT =
  "Pour obtenir une carte nationale d'identité, l'usager prend rendez-vous en mairie et présente un justificatif de domicile de moins d'un an. ";

/**
 * Measures a placement for {@link DeviceProbe}: prompt evaluation (a 256-token read, as the extracts of a question)
 * and generation (a short greedy completion), each after a warm-up that pays for buffer allocation and shader
 * compilation.
 */
export async function measureSpeed(backends: LlamaBackends, placement: Placement, path: string, threads: number): Promise<DeviceSpeed> {
  const model = await loadWeights(backends, placement, path, path);
  try {
    const context = await model.createContext({ contextSize: 1024, threads, failedCreationRemedy: false });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      // Warm-up: a batch read and one token, on a text that shares no prefix with the measured one (no reuse).
      await completion.generateCompletion(WARM_UP_TEXT, { maxTokens: 1, temperature: 0 });
      const prompt = model.tokenize(SAMPLE_TEXT.repeat(40)).slice(0, MEASURED_PROMPT_TOKENS);
      let started = performance.now();
      await completion.generateCompletion(prompt, { maxTokens: 1, temperature: 0 });
      const promptTokensPerSecond = prompt.length / Math.max((performance.now() - started) / 1000, 1e-6);
      started = performance.now();
      let tokens = 0;
      await completion.generateCompletion(' voici la démarche à suivre pour', {
        maxTokens: 24,
        temperature: 0,
        onToken: (chunk) => {
          tokens += chunk.length;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      return { tokensPerSecond: seconds > 0 ? tokens / seconds : 0, promptTokensPerSecond };
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
