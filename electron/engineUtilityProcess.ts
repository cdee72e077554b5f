import { utilityProcess } from 'electron';
import {
  ENGINE_ENTRY,
  ENGINE_EXEC_ARGV,
  type EngineConfig,
  type EngineExit,
  type EngineProcess,
  type EngineSpawner,
} from '../assistant/host/engineProcess.js';
import { awaitEngineGreeting, keepStderrTail } from '../assistant/host/engineStart.js';
import { portTransport } from '../assistant/contract/portTransport.js';
import { ENGINE_SHUTDOWN, HISTORY_KEY_VARIABLE } from '../assistant/contract/engineConfig.js';

export interface UtilityEngineOptions {
  config: EngineConfig;
  /** The engine entry; default the one beside this code (compiled JS in the app, TypeScript through tsx from sources). */
  entry?: string;
  /** Default: what the default entry needs (`--import tsx` from sources, nothing compiled), none for another one. */
  execArgv?: string[];
  /** Time allowed to start and greet, ms. Default 60,000. */
  startTimeoutMs?: number;
  /** The history key for {@link HISTORY_KEY_VARIABLE}: in the engine's environment, never on its command line. */
  historyKey?: Buffer;
}

/**
 * Starts the engine in an Electron utility process: the desktop's counterpart of `forkEngineSpawner`, behind the same
 * {@link EngineSpawner} so that `EngineHost` supervises it the same way. llama.cpp aborting kills that process only.
 */
export function utilityEngineSpawner(options: UtilityEngineOptions): EngineSpawner {
  const entry = options.entry ?? ENGINE_ENTRY;
  const execArgv = options.execArgv ?? (entry === ENGINE_ENTRY ? [...ENGINE_EXEC_ARGV] : []);
  return () => {
    const env = options.historyKey ? { env: { ...process.env, [HISTORY_KEY_VARIABLE]: options.historyKey.toString('base64') } } : {};
    const child = utilityProcess.fork(entry, [JSON.stringify(options.config)], { serviceName: 'Guichet — moteur', stdio: 'pipe', execArgv, ...env });
    const stderrTail = keepStderrTail(child.stderr);
    const transport = portTransport(child);
    const exited = new Promise<EngineExit>((done) => {
      child.once('exit', (code) => {
        transport.end(`processus moteur terminé (code ${code})`);
        setImmediate(() => done({ code, signal: null, stderrTail: stderrTail() }));
      });
    });
    return awaitEngineGreeting(child, {
      exited,
      timeoutMs: options.startTimeoutMs ?? 60_000,
      kill: () => child.kill(),
      ready: (): EngineProcess => ({
        pid: child.pid ?? -1,
        transport,
        exited,
        // A utility process has no channel to disconnect: it is asked to leave (it releases the model), then killed
        // if it has not left after the grace period.
        async stop(graceMs = 2000) {
          child.postMessage({ type: ENGINE_SHUTDOWN });
          transport.close();
          const timeout = setTimeout(() => child.kill(), graceMs);
          const exit = await exited;
          clearTimeout(timeout);
          return exit;
        },
      }),
    });
  };
}
