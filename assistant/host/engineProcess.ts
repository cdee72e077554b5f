import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processTransport } from '../contract/processTransport.js';
import type { Transport } from '../contract/transport.js';
import { awaitEngineGreeting, keepStderrTail } from './engineStart.js';
export { ENGINE_READY, type EngineConfig } from '../contract/engineConfig.js';
import { type EngineConfig } from '../contract/engineConfig.js';

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
    const child = fork(ENGINE_ENTRY, [JSON.stringify(options.config)], {
      execArgv: [...ENGINE_EXEC_ARGV],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
      ...(options.env ? { env: options.env } : {}),
    });
    const stderrTail = keepStderrTail(child.stderr, options.forwardStderr ? (chunk) => process.stderr.write(chunk) : undefined);
    const exited = new Promise<EngineExit>((done) => {
      child.once('exit', (code, signal) => {
        // Let the last stderr bytes (the abort message) arrive before reporting.
        setImmediate(() => done({ code, signal, stderrTail: stderrTail() }));
      });
    });
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
  };
}
