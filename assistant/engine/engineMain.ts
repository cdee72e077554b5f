/**
 * Entry of the engine process (forked by {@link EngineHost} with `--import tsx`; an Electron utilityProcess later).
 * It owns llama.cpp: a malformed model can abort this process, never the host. Configuration comes as one JSON
 * argument built by the host from the resolved settings; this process reads no environment variable.
 */
import { portTransport, type MessagePortLike } from '../contract/portTransport.js';
import { processTransport } from '../contract/processTransport.js';
import type { Transport } from '../contract/transport.js';
import type { AnyEngineModule, EngineModule } from '../contract/engineContract.js';
import { ENGINE_READY, type EngineConfig } from '../contract/engineConfig.js';
import { serveEngine } from './engineServer.js';
import { composeEngine } from './engineComposition.js';

function parseConfig(raw: string | undefined): EngineConfig {
  const parsed = JSON.parse(raw ?? '{}') as Partial<EngineConfig>;
  if (typeof parsed.dataDir !== 'string') throw new Error('engineMain: configuration sans dataDir');
  return {
    dataDir: parsed.dataDir,
    ...(parsed.settings ? { settings: parsed.settings } : {}),
    ...(parsed.settingsSources ? { settingsSources: parsed.settingsSources } : {}),
  };
}

/** The host's channel: Electron's `process.parentPort` in a utility process, else Node's fork IPC. */
function hostChannel(): { transport: Transport; greet(message: unknown): void } {
  const parentPort = (process as { parentPort?: MessagePortLike }).parentPort;
  if (parentPort) {
    return { transport: portTransport(parentPort, (event) => (event as { data?: unknown }).data), greet: (m) => parentPort.postMessage(m) };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('engineMain doit être lancé par un hôte (child_process.fork ou utilityProcess).');
  return { transport: processTransport(process), greet: (m) => send(m) };
}

async function main(): Promise<void> {
  const channel = hostChannel();
  // The configuration is the one argument the host passes, hence the last: where a utility process puts the entry
  // script in argv is Electron's business.
  const config = parseConfig(process.argv.at(-1));
  const modules: AnyEngineModule[] = await composeEngine(config, (line) => process.stderr.write(`${line}\n`));
  const server = serveEngine(channel.transport, modules, (method, error) => {
    process.stderr.write(`[moteur] erreur interne dans ${method} : ${error instanceof Error ? error.stack : String(error)}\n`);
  });
  // A terminal's Ctrl-C reaches the whole process group: the host decides what stops (the stream ends with what it
  // had, the CLI says « Opération annulée. ») and ends this process itself.
  process.on('SIGINT', () => {});
  // The host going away (closed, crashed, killed) disconnects the channel: release the model and leave.
  process.once('disconnect', () => {
    void server.dispose().finally(() => process.exit(0));
  });
  channel.greet({ type: ENGINE_READY, pid: process.pid });
}

await main();
