import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { EngineModule, EngineStats } from '../contract/engineContract.js';
import type { RUNTIME_METHODS } from '../contract/methods/runtimeMethods.js';
import { TokenBatcher } from './tokenBatcher.js';

type RuntimeMethod = Exclude<keyof typeof RUNTIME_METHODS, 'engine.stats' | 'engine.ping'>;

/**
 * The model runtime's methods. Generated text is sent as produced, grouped by {@link TokenBatcher} when it comes
 * faster than a screen refreshes; `done` ends the stream, also after a cancel (with the text written so far). The
 * runtime given here already makes its output inert.
 */
export function runtimeModule(runtime: ModelRuntime, hooks: { onLoaded?: () => void } = {}): EngineModule<RuntimeMethod> {
  return {
    handlers: {
      'models.load': async (params, { signal, emit }) => {
        const loaded = await runtime.load(params, { signal, onProgress: (fraction) => emit({ type: 'progress', fraction }), onMeasuring: (device) => emit({ type: 'measuring', device }) });
        try {
          hooks.onLoaded?.();
        } catch {
          // What follows a load (a reading ahead) never fails the load.
        }
        return loaded;
      },
      'models.unload': async () => {
        await runtime.unload();
        return null;
      },
      'models.status': async () => runtime.status(),
      generate: async (request, { signal, emit }) => {
        const batcher = new TokenBatcher((text) => emit({ type: 'token', text }));
        try {
          const result = await runtime.generate(request, { signal, onText: (text) => batcher.push(text) });
          batcher.flush();
          emit({ type: 'done', reason: result.reason, text: result.text, stats: result.stats });
          return result;
        } finally {
          batcher.flush();
        }
      },
      'hardware.info': () => runtime.hardware(),
    },
    dispose: () => runtime.dispose(),
  };
}

/** Methods about the engine process: its memory (for the benchmark and the UI's diagnostics) and a liveness ping. */
export function systemModule(): EngineModule<'engine.stats' | 'engine.ping'> {
  const started = Date.now();
  return {
    handlers: {
      'engine.stats': async (): Promise<EngineStats> => {
        const usage = process.memoryUsage();
        const resources = process.resourceUsage();
        return {
          pid: process.pid,
          rssBytes: usage.rss,
          heapUsedBytes: usage.heapUsed,
          // `maxRSS` is in kilobytes on every OS Node supports.
          maxRssBytes: Math.max(resources.maxRSS * 1024, usage.rss),
          cpuUserMs: resources.userCPUTime / 1000,
          cpuSystemMs: resources.systemCPUTime / 1000,
          uptimeMs: Date.now() - started,
        };
      },
      'engine.ping': async () => 'pong' as const,
    },
  };
}
