import type { ModelRuntime } from './modelRuntime.js';

/**
 * The llama.cpp runtime, loaded on first use: node-llama-cpp costs the engine's start-up most of a second, and a search
 * or a search-only answer never needs it. Same behaviour as `createLlamaRuntime` once loaded.
 */
export function createLazyLlamaRuntime(options: { dataDir: string }): ModelRuntime {
  let loading: Promise<ModelRuntime> | undefined;
  let runtime: ModelRuntime | undefined;
  const get = (): Promise<ModelRuntime> =>
    (loading ??= import('./llamaRuntime.js').then(({ createLlamaRuntime }) => {
      runtime = createLlamaRuntime(options);
      return runtime;
    }));
  return {
    load: async (model, control) => (await get()).load(model, control),
    unload: async () => runtime?.unload(),
    status: () => runtime?.status() ?? { state: 'empty' },
    generate: async (request, generateOptions) => (await get()).generate(request, generateOptions),
    promptTokens: async (request) => (await get()).promptTokens(request),
    // Never loads node-llama-cpp for a reading: no runtime yet means no model loaded.
    readAhead: async (request, readOptions) =>
      runtime?.readAhead ? runtime.readAhead(request, readOptions) : { state: 'no-model', prefixTokens: 0, reusedTokens: 0, readTokens: 0, steps: 0, stepsAfterYield: 0, readingMs: 0 },
    yieldReadAhead: () => runtime?.yieldReadAhead?.(),
    readingSpeed: () => runtime?.readingSpeed?.(),
    hardware: async () => (await get()).hardware(),
    dispose: async () => {
      if (loading) await (await loading).dispose();
    },
  };
}
