import { createLlamaRuntime } from '../../native-models/llamaRuntime.js';
import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { EngineConfig } from '../contract/engineConfig.js';

/**
 * The engine's model runtime built in the calling process, for the benchmark's « direct » side only: the same code
 * the engine runs, without the process boundary. Never load a file you have not checked this way — a malformed
 * model aborts the process that loads it.
 */
export function createDirectRuntime(config: EngineConfig): ModelRuntime {
  return createLlamaRuntime(config);
}
