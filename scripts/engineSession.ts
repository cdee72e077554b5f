import type { Api, ContractChannel } from '../assistant/contract/buildApi.js';
import type { GuichetContract } from '../assistant/contract/engineContract.js';
import type { GuichetMethods } from '../assistant/contract/engineMethods.js';
import type { EarlyEngine } from '../assistant/host/engineProcess.js';
import type { CliContext } from './cliContext.js';

let early: EarlyEngine | undefined;

/**
 * Forks the engine now, before the command line and the settings are read: its modules load meanwhile, on the other
 * core, and the first {@link withEngine} of the run uses it. Not for help and version, which need no engine.
 */
export async function startEngineEarly(argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  if (args.some((arg) => ['--help', '-h', '--version', '-V'].includes(arg)) || args[0] === 'help') return;
  const { forkEarlyEngine } = await import('../assistant/host/engineProcess.js');
  early = forkEarlyEngine();
}

/** Ends the early engine if no command used it. */
export function discardEarlyEngine(): void {
  early?.discard();
  early = undefined;
}

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
  // Loaded here, not at start: `guichet --help` and usage errors need none of it.
  const [{ buildApi }, { GUICHET_METHODS }, { EngineHost }, { forkEngineSpawner }, { guichetChannel }] = await Promise.all([
    import('../assistant/contract/buildApi.js'),
    import('../assistant/contract/engineMethods.js'),
    import('../assistant/host/engineHost.js'),
    import('../assistant/host/engineProcess.js'),
    import('../assistant/host/guichetChannel.js'),
  ]);
  const options = { config: { dataDir: ctx.dataDir, settings: ctx.settings.values, settingsSources: ctx.settingsSources }, forwardStderr: ctx.verbose };
  const spawn = early ? early.spawner(options) : forkEngineSpawner(options);
  early = undefined;
  const host = new EngineHost({ spawn });
  try {
    const channel = guichetChannel(host);
    return await work(channel, buildApi(GUICHET_METHODS, channel));
  } finally {
    await host.dispose();
  }
}
