/**
 * Entry of the engine process (forked by {@link EngineHost} with `--import tsx`, or an Electron utilityProcess on the desktop).
 * It owns llama.cpp: a malformed model can abort this process, never the host. Configuration comes as one JSON
 * argument built by the host from the resolved settings; the only environment variable it reads is the history key
 * (never on the command line, which every user of the PC can read).
 */
import type { AnyEngineModule, EngineModule } from '../contract/engineContract.js';
import { CONFIG_FROM_HOST, ENGINE_AWAITING_CONFIG, ENGINE_CONFIG, ENGINE_READY, HISTORY_KEY_VARIABLE, type EngineConfig } from '../contract/engineConfig.js';
import { serveEngine } from './engineServer.js';
import { composeEngine } from './engineComposition.js';
import { hostLink } from './hostLink.js';

function parseConfig(parsed: Partial<EngineConfig>): EngineConfig {
  if (typeof parsed.dataDir !== 'string') throw new Error('engineMain: configuration sans dataDir');
  return {
    dataDir: parsed.dataDir,
    ...(parsed.settings ? { settings: parsed.settings } : {}),
    ...(parsed.settingsSources ? { settingsSources: parsed.settingsSources } : {}),
    ...(parsed.atRest ? { atRest: parsed.atRest } : {}),
  };
}

/**
 * The configuration: the one argument the host passes, hence the last (where a utility process puts the entry script
 * in argv is Electron's business); or, forked early by a host that had not read it yet, asked for on the channel once
 * every module is loaded. A host that leaves meanwhile (a usage error) ends this process.
 */
async function receiveConfig(): Promise<EngineConfig> {
  const argument = process.argv.at(-1);
  if (argument !== CONFIG_FROM_HOST) return parseConfig(JSON.parse(argument ?? '{}') as Partial<EngineConfig>);
  const leave = (): never => process.exit(0);
  process.once('disconnect', leave);
  const config = await new Promise<Partial<EngineConfig>>((resolve) => {
    const onMessage = (message: unknown): void => {
      const data = message as { type?: unknown; config?: Partial<EngineConfig> } | null;
      if (data?.type !== ENGINE_CONFIG || !data.config) return;
      process.off('message', onMessage);
      resolve(data.config);
    };
    process.on('message', onMessage);
    process.send?.({ type: ENGINE_AWAITING_CONFIG });
  });
  process.off('disconnect', leave);
  return parseConfig(config);
}

/** The history key, taken out of the environment at once (nothing started from here inherits it). */
function takeHistoryKey(): Buffer | undefined {
  const value = process.env[HISTORY_KEY_VARIABLE];
  delete process.env[HISTORY_KEY_VARIABLE];
  return value ? Buffer.from(value, 'base64') : undefined;
}

async function main(): Promise<void> {
  const config = await receiveConfig();
  const channel = hostLink();
  const modules: AnyEngineModule[] = await composeEngine(config, (line) => process.stderr.write(`${line}\n`), { historyKey: takeHistoryKey() });
  const server = serveEngine(channel.transport, modules, (method, error) => {
    process.stderr.write(`[moteur] erreur interne dans ${method} : ${error instanceof Error ? error.stack : String(error)}\n`);
  });
  // A terminal's Ctrl-C reaches the whole process group: the host decides what stops (the stream ends with what it
  // had, the CLI says « Opération annulée. ») and ends this process itself.
  process.on('SIGINT', () => {});
  // The host going away (fork: the channel disconnects; utility process: its shutdown message): release the model
  // and leave.
  channel.onHostGone(() => {
    void server.dispose().finally(() => process.exit(0));
  });
  channel.greet({ type: ENGINE_READY, pid: process.pid });
}

await main();
