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

/**
 * The remote runtime built in the calling process, for the benchmark's shared-server row only: the same code the
 * engine runs for `runtime.remote.url`, without the policy (the bench talks to its own stand-in on 127.0.0.1).
 */
export async function createDirectRemoteRuntime(url: string, local: ModelRuntime): Promise<ModelRuntime> {
  const [{ RemoteRuntime }, { estimateTokens }] = await Promise.all([import('../../remote-models/remoteRuntime.js'), import('../text/tokenEstimate.js')]);
  return new RemoteRuntime({ url, estimateTokens, hardware: () => local.hardware() });
}
