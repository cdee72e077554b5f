import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processTransport } from '../contract/processTransport.js';
import type { Transport } from '../contract/transport.js';
import { awaitEngineGreeting, keepStderrTail } from './engineStart.js';
export { ENGINE_READY, type EngineConfig } from '../contract/engineConfig.js';
import { CONFIG_FROM_HOST, ENGINE_AWAITING_CONFIG, ENGINE_CONFIG, type EngineConfig } from '../contract/engineConfig.js';

/** How an engine process ended. */
export interface EngineExit {
  code: number | null;
  signal: string | null;
  /** The end of its error output: llama.cpp prints its GGML_ASSERT there before aborting. */
  stderrTail: string;
}

/** A started engine process, whatever starts it (fork here, Electron's utilityProcess on the desktop). */
export interface EngineProcess {
  readonly pid: number;
  readonly transport: Transport;
  /** Settles once when the process has exited, for whatever reason. */
  readonly exited: Promise<EngineExit>;
  /** Ends the process: closes the channel (it exits cleanly), then kills it after `graceMs` (default 2,000). */
  stop(graceMs?: number): Promise<EngineExit>;
}

/** Starts one engine process; rejects when it does not greet in time or dies first. */
export type EngineSpawner = () => Promise<EngineProcess>;

/** Options of {@link forkEngineSpawner}. */
export interface ForkEngineOptions {
  config: EngineConfig;
  /** Environment of the engine process. Default: the host's. */
  env?: NodeJS.ProcessEnv;
  /** Time allowed to start and greet, ms. Default 60,000 (a cold start under load on a slow PC). */
  startTimeoutMs?: number;
  /** Copy the engine's error output to the host's as it comes (else only kept for crash reports). Default false. */
  forwardStderr?: boolean;
}

/**
 * Whether this code runs compiled (`dist/node/…/engineProcess.js`, the `guichet` command and the desktop app) or as
 * TypeScript sources (tests, benchmarks): the engine runs the same way as its host.
 */
const COMPILED = import.meta.url.endsWith('.js');
/** The engine's entry module. */
export const ENGINE_ENTRY = fileURLToPath(new URL(COMPILED ? '../engine/engineMain.js' : '../engine/engineMain.ts', import.meta.url));
// An absolute URL: `--import tsx` would resolve from the current directory, which is anywhere for the CLI.
/** Node options of the engine process: the tsx loader when running from sources. */
export const ENGINE_EXEC_ARGV: readonly string[] = COMPILED ? [] : ['--import', import.meta.resolve('tsx')];

/** Starts the engine with `child_process.fork` (CLI, web shell, tests), TypeScript run through tsx. */
export function forkEngineSpawner(options: ForkEngineOptions): EngineSpawner {
  return () => {
    const child = forkEngine([JSON.stringify(options.config)], options.env);
    const stderr = collectStderr(child, options.forwardStderr === true);
    return startedEngine(child, stderr, options);
  };
}

/**
 * An engine forked before its configuration is known: the CLI forks it first thing, and its modules (LanceDB, Arrow,
 * the use cases: most of its start-up) load while the CLI reads its arguments and settings. It waits for its
 * configuration on the channel ({@link ENGINE_AWAITING_CONFIG}, then {@link ENGINE_CONFIG}).
 */
export interface EarlyEngine {
  /**
   * A spawner whose first start is this process, given `options.config`; later starts (after a crash) fork anew.
   * With `options.env` (another environment than the one it was forked in), it is not used.
   */
  spawner(options: ForkEngineOptions): EngineSpawner;
  /** Ends the process if no spawner used it (a usage error, a command without an engine). */
  discard(): void;
  /** The forked process's id. */
  readonly pid: number | undefined;
}

export function forkEarlyEngine(): EarlyEngine {
  let child: ChildProcess | undefined = forkEngine([CONFIG_FROM_HOST], undefined);
  let forward = false;
  const stderr = collectStderr(child, () => forward);
  // Listened for at once: the engine may be waiting before any spawner is asked for.
  const awaiting = new Promise<void>((resolve) => {
    const onMessage = (message: unknown): void => {
      if ((message as { type?: unknown } | null)?.type !== ENGINE_AWAITING_CONFIG) return;
      child?.off('message', onMessage);
      resolve();
    };
    child?.on('message', onMessage);
  });
  const discard = (): void => {
    child?.kill();
    child = undefined;
  };
  return {
    discard,
    pid: child.pid,
    spawner(options) {
      const fresh = forkEngineSpawner(options);
      if (options.env) discard();
      return () => {
        const early = child;
        child = undefined;
        if (!early) return fresh();
        forward = options.forwardStderr === true;
        const started = startedEngine(early, stderr, options);
        // A send that fails means the process died: `started` reports that, with its error output.
        void awaiting.then(() => early.connected && early.send({ type: ENGINE_CONFIG, config: options.config }, () => {}));
        return started;
      };
    },
  };
}

function forkEngine(args: string[], env: NodeJS.ProcessEnv | undefined): ChildProcess {
  return fork(ENGINE_ENTRY, args, {
    execArgv: [...ENGINE_EXEC_ARGV],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'json',
    ...(env ? { env } : {}),
  });
}

/** Keeps the end of the engine's error output, copied to the host's as it comes when `forward` says so. */
function collectStderr(child: ChildProcess, forward: boolean | (() => boolean)): { tail: () => string; exited: Promise<EngineExit> } {
  const copies = typeof forward === 'function' ? forward : () => forward;
  const tail = keepStderrTail(child.stderr, (chunk) => {
    if (copies()) process.stderr.write(chunk);
  });
  const exited = new Promise<EngineExit>((done) => {
    child.once('exit', (code, signal) => {
      // Let the last stderr bytes (the abort message) arrive before reporting.
      setImmediate(() => done({ code, signal, stderrTail: tail() }));
    });
  });
  return { tail, exited };
}

/** The forked engine once it has greeted; rejects when it does not greet in time or dies first. */
function startedEngine(child: ChildProcess, stderr: { exited: Promise<EngineExit> }, options: ForkEngineOptions): Promise<EngineProcess> {
  const { exited } = stderr;
  const started = awaitEngineGreeting(child, {
    exited,
    timeoutMs: options.startTimeoutMs ?? 60_000,
    kill: () => child.kill('SIGKILL'),
    ready: () => {
      const transport = processTransport(child);
      return {
        pid: child.pid ?? -1,
        transport,
        exited,
        async stop(graceMs = 2000) {
          transport.close();
          const timeout = setTimeout(() => child.kill('SIGKILL'), graceMs);
          const exit = await exited;
          clearTimeout(timeout);
          return exit;
        },
      };
    },
  });
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  return Promise.race([started, failed]);
}
