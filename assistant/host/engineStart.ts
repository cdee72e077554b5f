import { ENGINE_READY, type EngineExit, type EngineProcess } from './engineProcess.js';

/** Bytes of the engine's error output kept for crash reports: llama.cpp prints its GGML_ASSERT there before aborting. */
const STDERR_TAIL = 8192;

/** Keeps the end of a process's error output; `forward` also gets each chunk as it comes. */
export function keepStderrTail(stream: NodeJS.ReadableStream | null | undefined, forward?: (chunk: string) => void): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
    forward?.(chunk);
  });
  return () => tail;
}

/** The child's handle as both hosts have it (`ChildProcess`, Electron's `UtilityProcess`): its messages. */
export interface GreetingSource {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface EngineStartOptions {
  exited: Promise<EngineExit>;
  /** Time allowed to greet, ms. */
  timeoutMs: number;
  /** Ends a child that stays silent. */
  kill(): void;
  /** The started engine, built once it has greeted. */
  ready(): EngineProcess;
}

/**
 * Waits for the engine's « ready » greeting: resolves with the started engine, rejects (in French, with the end of
 * its error output) when it dies first or stays silent past the time limit, which kills it.
 */
export function awaitEngineGreeting(child: GreetingSource, options: EngineStartOptions): Promise<EngineProcess> {
  return new Promise<EngineProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      options.kill();
      reject(new Error(`le moteur n'a pas démarré en ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    const onGreeting = (message: unknown): void => {
      if ((message as { type?: unknown } | null)?.type !== ENGINE_READY) return;
      clearTimeout(timer);
      child.off('message', onGreeting);
      resolve(options.ready());
    };
    child.on('message', onGreeting);
    void options.exited.then((exit) => {
      clearTimeout(timer);
      const how = exit.signal ? `code ${exit.code}, signal ${exit.signal}` : `code ${exit.code}`;
      reject(new Error(`le moteur s'est arrêté au démarrage (${how}) : ${exit.stderrTail.slice(-2000)}`));
    });
  });
}
