import { EngineHost } from '../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../assistant/host/engineProcess.js';
import type { CliContext } from './cliContext.js';

/**
 * Runs one command against a fresh engine process (index, model, use cases live there; a model that makes
 * llama.cpp abort kills that process, never the command), then stops it.
 */
export async function withEngine<T>(ctx: CliContext, work: (engine: EngineHost) => Promise<T>): Promise<T> {
  const engine = new EngineHost({
    spawn: forkEngineSpawner({ config: { dataDir: ctx.dataDir, settings: ctx.settings.values, settingsSources: ctx.settingsSources }, forwardStderr: ctx.verbose }),
  });
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}
