import { type Api, buildApi, type ContractChannel } from '../assistant/contract/buildApi.js';
import type { GuichetContract } from '../assistant/contract/engineContract.js';
import { GUICHET_METHODS, type GuichetMethods } from '../assistant/contract/engineMethods.js';
import { EngineHost } from '../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../assistant/host/engineProcess.js';
import { guichetChannel } from '../assistant/host/guichetChannel.js';
import type { CliContext } from './cliContext.js';

/** The contract as the CLI calls it. */
export type GuichetApi = Api<GuichetMethods>;

/**
 * Runs one command against a fresh engine process (index, models, use cases live there; nothing native loads in the
 * CLI process, and a model that makes llama.cpp abort kills that process, never the command), then stops it.
 */
export async function withEngine<T>(ctx: CliContext, work: (api: GuichetApi) => Promise<T>): Promise<T> {
  return withEngineChannel(ctx, (_channel, api) => work(api));
}

/** {@link withEngine}, also giving the channel itself, for a shell that serves the contract (`guichet serve`). */
export async function withEngineChannel<T>(ctx: CliContext, work: (channel: ContractChannel<GuichetContract>, api: GuichetApi) => Promise<T>): Promise<T> {
  const host = new EngineHost({
    spawn: forkEngineSpawner({ config: { dataDir: ctx.dataDir, settings: ctx.settings.values, settingsSources: ctx.settingsSources }, forwardStderr: ctx.verbose }),
  });
  try {
    const channel = guichetChannel(host);
    return await work(channel, buildApi(GUICHET_METHODS, channel));
  } finally {
    await host.dispose();
  }
}
