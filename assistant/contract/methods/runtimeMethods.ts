import { z } from 'zod';
import type { HardwareInfo } from '../../../native-models/hardware.js';
import type { ComputeDevice, GenerationResult, GenerationStats, LoadedModel, RuntimeStatus, StopReason } from '../../../native-models/modelRuntime.js';
import { call, stream } from '../method.js';
import { gpuSchema, noParams, pathSchema } from './common.js';

/** Events of `models.load`. */
export type LoadEvent = { type: 'progress'; fraction: number } | { type: 'measuring'; device: ComputeDevice };

/** Events of `generate`: text as it comes, then one `done` that says why it stopped. */
export type GenerationEvent = { type: 'token'; text: string } | { type: 'done'; reason: StopReason; text: string; stats: GenerationStats };

/** The engine process's own figures. */
export interface EngineStats {
  pid: number;
  /** Resident set size, bytes: the engine's whole memory, llama.cpp's included. */
  rssBytes: number;
  heapUsedBytes: number;
  /** Peak resident set size since the engine started, bytes (the OS's figure: `getrusage`'s max RSS). */
  maxRssBytes: number;
  /** CPU time the engine process used since it started, ms (user and system, every thread). */
  cpuUserMs: number;
  cpuSystemMs: number;
  uptimeMs: number;
}

const loadParams = z.object({
  path: pathSchema,
  threads: z.number().int().min(1).max(256).nullable().optional(),
  gpu: gpuSchema.optional(),
  contextSize: z.number().int().min(512).max(131_072).nullable().optional(),
  gpuMemoryMiB: z.number().int().min(0).max(1_048_576).nullable().optional(),
});

const generateParams = z.object({
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

/** The model runtime and the engine process itself. */
export const RUNTIME_METHODS = {
  'models.load': stream(loadParams).returns<LoadedModel, LoadEvent>(),
  'models.unload': call(noParams).returns<null>(),
  'models.status': call(noParams).returns<RuntimeStatus>(),
  generate: stream(generateParams).returns<GenerationResult, GenerationEvent>(),
  'hardware.info': call(noParams).returns<HardwareInfo>(),
  'engine.stats': call(noParams).returns<EngineStats>(),
  'engine.ping': call(noParams).returns<'pong'>(),
};
