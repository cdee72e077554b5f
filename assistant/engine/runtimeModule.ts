import { z } from 'zod';
import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { EngineModule, EngineStats, RuntimeContract, SystemContract } from '../contract/engineContract.js';
import { TokenBatcher } from './tokenBatcher.js';

const noParams = z.object({}).strict().optional();

const loadSchema = z.object({
  path: z.string().min(1).max(4096),
  threads: z.number().int().min(1).max(256).nullable().optional(),
  gpu: z.enum(['auto', 'cpu', 'vulkan', 'cuda', 'metal']).optional(),
  contextSize: z.number().int().min(512).max(131_072).nullable().optional(),
  gpuMemoryMiB: z.number().int().min(0).max(1_048_576).nullable().optional(),
});

const generateSchema = z.object({
  system: z.string().max(400_000).optional(),
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), text: z.string().max(400_000) }))
    .min(1)
    .refine((messages) => messages.at(-1)?.role === 'user', { message: 'le dernier message doit être celui de l’agent' }),
  maxTokens: z.number().int().min(1).max(32_768).optional(),
  temperature: z.number().min(0).max(2).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  stop: z.array(z.string().min(1).max(200)).max(16).optional(),
});

/**
 * The model runtime's methods over RPC. Generated text is sent as produced, grouped by {@link TokenBatcher} when it
 * comes faster than a screen refreshes; `done` ends the stream.
 */
export function runtimeModule(runtime: ModelRuntime): EngineModule<RuntimeContract> {
  return {
    handlers: {
      'models.load': {
        parse: (raw) => loadSchema.parse(raw),
        run: (params, { signal, emit }) =>
          runtime.load(params, { signal, onProgress: (fraction) => emit({ type: 'progress', fraction }), onMeasuring: (device) => emit({ type: 'measuring', device }) }),
      },
      'models.unload': {
        parse: (raw) => noParams.parse(raw) as undefined,
        run: async () => {
          await runtime.unload();
          return null;
        },
      },
      'models.status': { parse: (raw) => noParams.parse(raw) as undefined, run: async () => runtime.status() },
      generate: {
        parse: (raw) => generateSchema.parse(raw),
        run: async (request, { signal, emit }) => {
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
      },
      'hardware.info': { parse: (raw) => noParams.parse(raw) as undefined, run: () => runtime.hardware() },
    },
    dispose: () => runtime.dispose(),
  };
}

/** Methods about the engine process: its memory (for the benchmark and the UI's diagnostics) and a liveness ping. */
export function systemModule(): EngineModule<SystemContract> {
  const started = Date.now();
  return {
    handlers: {
      'engine.stats': {
        parse: (raw) => noParams.parse(raw) as undefined,
        run: async (): Promise<EngineStats> => {
          const usage = process.memoryUsage();
          return { pid: process.pid, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, uptimeMs: Date.now() - started };
        },
      },
      'engine.ping': { parse: (raw) => noParams.parse(raw) as undefined, run: async () => 'pong' as const },
    },
  };
}
