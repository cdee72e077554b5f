import { basename } from 'node:path';
import { unfinishedGpuAttempt } from '../../native-models/gpuAttemptJournal.js';
import { ModelError } from '../../native-models/modelError.js';
import type { RpcContract, RpcMethodName } from '../contract/protocol.js';
import type { CallOptions, ContractStream } from '../contract/contractStream.js';
import { RpcClient } from '../contract/rpcClient.js';
import { EventQueue } from '../contract/eventQueue.js';
import { RpcError } from '../contract/rpcError.js';
import type { EngineContract } from '../contract/engineContract.js';
import { ENGINE_ERRORS } from '../contract/engineErrors.js';
import type { EngineExit, EngineProcess, EngineSpawner } from './engineProcess.js';

/** Life of the engine process as the UI shows it. */
export type EngineState = 'stopped' | 'starting' | 'ready' | 'crashed' | 'unavailable' | 'disposed';

/** The engine's state, with a French message when something went wrong. */
export interface EngineStatus {
  state: EngineState;
  pid?: number;
  message?: string;
  /** Crashes within the restart window. */
  recentCrashes: number;
}

/** Options of {@link EngineHost}. */
export interface EngineHostOptions {
  spawn: EngineSpawner;
  /** Crashes (or failed starts) tolerated within `restartWindowMs`; then no automatic restart. Default 3. */
  maxCrashes?: number;
  /** Default 60,000 ms. */
  restartWindowMs?: number;
  /**
   * How often the host pings a running engine, ms; `0` (default) never. An engine that does not answer within
   * `pingTimeoutMs` is killed and reported like a crash: a stuck native call must not freeze the agent's screen.
   */
  pingIntervalMs?: number;
  /** Default 30,000 ms: an import parsing XML keeps the engine busy for a few seconds at most between two awaits. */
  pingTimeoutMs?: number;
  /** Start a new engine at once after a crash (the desktop app and the web shell), rather than on the next call. */
  autoRestart?: boolean;
}

interface Session {
  proc: EngineProcess;
  client: RpcClient<RpcContract>;
  /** Model files being loaded now, by call. */
  loads: Set<string>;
  stopping: boolean;
  crash?: ModelError;
  /** Killed for not answering pings. */
  hung?: boolean;
  watchdog?: ReturnType<typeof setInterval>;
}

const LOAD_METHOD = 'models.load';

/**
 * Hosts the engine process and supervises it (vscode's pty host, in small). The process starts on first use; when it
 * dies unexpectedly — llama.cpp aborting on a malformed model, typically — every pending call rejects with ModelError
 * `model-crashed` (« Le modèle X est illisible ou incompatible (le moteur s'est arrêté). » when a load was running),
 * the UI is told, and the next call starts a new process, at most `maxCrashes` times per window.
 */
export class EngineHost<C extends RpcContract = EngineContract> {
  private session: Session | undefined;
  private starting: Promise<Session> | undefined;
  private crashTimes: number[] = [];
  private current: EngineStatus = { state: 'stopped', recentCrashes: 0 };
  private readonly listeners = new Set<(status: EngineStatus) => void>();
  private loadedFile: string | undefined;
  private disposing: Promise<void> | undefined;

  constructor(private readonly options: EngineHostOptions) {}

  /** The current status. */
  status(): EngineStatus {
    return { ...this.current };
  }

  /** Subscribes to status changes; returns the unsubscribe function. A throwing listener is ignored. */
  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the engine now rather than on first use. */
  async start(): Promise<void> {
    await this.ensure();
  }

  /**
   * Calls an engine method (starting the engine if needed). A call whose GPU attempt aborted the engine before it
   * produced anything but progress events (a `models.load`, an `ask` loading its model) is made once more on a new
   * engine, which loads on the CPU and says why.
   */
  call<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: CallOptions<C[M]['event']> = {}): Promise<C[M]['result']> {
    return this.retryingGpuCrash(options.signal, options.onEvent, async (onEvent) => {
      const session = await this.ensure();
      return this.tracked(session, method, params, () => session.client.call(method, params, { ...options, onEvent }));
    });
  }

  /**
   * Calls a streaming method: the stream's errors are translated, a GPU crash before any output is retried like
   * {@link call}'s (the second engine's events follow the first one's), and a cancel reaches whichever engine runs it.
   */
  stream<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: CallOptions<C[M]['event']> = {}): ContractStream<C[M]['event'], C[M]['result']> {
    type E = C[M]['event'];
    const stop = new AbortController();
    let leave = (): void => {};
    const events = new EventQueue<E>(() => leave());
    leave = () => stop.abort();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const result = this.retryingGpuCrash(signal, options.onEvent, async (onEvent) => {
      const session = await this.ensure();
      return this.tracked(session, method, params, async () => {
        const inner = session.client.stream(method, params, { signal, onEvent });
        for await (const event of inner) events.push(event as E);
        return inner.result;
      });
    });
    return events.streamOf(result, () => stop.abort());
  }

  /** Runs an attempt; a GPU crash before anything but progress was produced runs it once more (on a new engine). */
  private async retryingGpuCrash<R, E>(signal: AbortSignal | undefined, listener: ((event: E) => void) | undefined, attempt: (onEvent: (event: E) => void) => Promise<R>): Promise<R> {
    let produced = false;
    const onEvent = (event: E): void => {
      if (!isProgressEvent(event)) produced = true;
      listener?.(event);
    };
    try {
      return await attempt(onEvent);
    } catch (error) {
      // The new engine knows of the crash (GPU attempt journal) and loads on the CPU.
      if (produced || !isGpuCrash(error) || signal?.aborted) throw error;
      return attempt(onEvent);
    }
  }

  /** Runs a call on a session, remembering a load in progress (to name the file if the engine dies) and translating a dead link. */
  private async tracked<R>(session: Session, method: string, params: unknown, run: () => Promise<R>): Promise<R> {
    const untrack = this.track(session, method, params);
    try {
      const result = await run();
      if (method === LOAD_METHOD) this.loadedFile = (result as { fileName?: string }).fileName;
      return result;
    } catch (error) {
      throw await this.translate(error, session);
    } finally {
      untrack();
    }
  }

  /** Stops the engine and starts a fresh one, forgetting past crashes (the agent's « Redémarrer le moteur »). */
  async restart(): Promise<void> {
    await this.stopSession();
    this.crashTimes = [];
    this.loadedFile = undefined;
    await this.ensure();
  }

  /** Stops the engine process. Safe to call twice; later calls reject with `engine-unavailable`. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      await this.starting?.catch(() => {});
      await this.stopSession();
      this.setStatus({ state: 'disposed', recentCrashes: 0 });
    })();
    return this.disposing;
  }

  private async ensure(): Promise<Session> {
    if (this.disposing) throw new ModelError('engine-unavailable', 'Le moteur du modèle est arrêté.');
    if (this.session) return this.session;
    if (this.starting) return this.starting;
    const window = this.options.restartWindowMs ?? 60_000;
    this.crashTimes = this.crashTimes.filter((time) => Date.now() - time < window);
    const maxCrashes = this.options.maxCrashes ?? 3;
    if (this.crashTimes.length >= maxCrashes) {
      const message = `Le moteur du modèle s'est arrêté ${this.crashTimes.length} fois en moins de ${Math.round(window / 1000)} secondes : il n'est plus relancé automatiquement. Choisissez un autre modèle et redémarrez le moteur (ou Guichet).`;
      this.setStatus({ state: 'unavailable', message, recentCrashes: this.crashTimes.length });
      throw new ModelError('engine-unavailable', message);
    }
    this.setStatus({ state: 'starting', recentCrashes: this.crashTimes.length });
    this.starting = this.options.spawn().then(
      (proc) => {
        const session: Session = { proc, client: new RpcClient<RpcContract>(proc.transport, { errors: ENGINE_ERRORS }), loads: new Set(), stopping: false };
        void proc.exited.then((exit) => this.onExit(session, exit));
        this.watch(session);
        this.session = session;
        this.starting = undefined;
        this.setStatus({ state: 'ready', pid: proc.pid, recentCrashes: this.crashTimes.length });
        return session;
      },
      (cause: unknown) => {
        this.starting = undefined;
        this.crashTimes.push(Date.now());
        const message = "Le moteur du modèle n'a pas pu démarrer.";
        this.setStatus({ state: 'crashed', message, recentCrashes: this.crashTimes.length });
        throw new ModelError('engine-unavailable', message, { cause });
      },
    );
    return this.starting;
  }

  private track(session: Session, method: string, params: unknown): () => void {
    const path = method === LOAD_METHOD ? (params as { path?: unknown } | undefined)?.path : undefined;
    if (typeof path !== 'string') return () => {};
    session.loads.add(path);
    return () => session.loads.delete(path);
  }

  /** Pings the engine; one that stays silent past the timeout is killed, and its exit reported as a crash. */
  private watch(session: Session): void {
    const interval = this.options.pingIntervalMs ?? 0;
    if (interval <= 0) return;
    let pending = false;
    session.watchdog = setInterval(() => {
      if (pending || session.stopping) return;
      pending = true;
      const timeoutMs = this.options.pingTimeoutMs ?? 30_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silent = new Promise<'silent'>((resolve) => (timer = setTimeout(() => resolve('silent'), timeoutMs)));
      void Promise.race([session.client.call('engine.ping', undefined).then(() => 'answered' as const, () => 'answered' as const), silent]).then((outcome) => {
        clearTimeout(timer);
        pending = false;
        if (outcome === 'silent' && this.session === session && !session.stopping) {
          session.hung = true;
          void session.proc.stop(0);
        }
      });
    }, interval);
    (session.watchdog as { unref?: () => void }).unref?.();
  }

  private onExit(session: Session, exit: EngineExit): void {
    if (this.session === session) this.session = undefined;
    clearInterval(session.watchdog);
    session.client.close();
    if (session.stopping && !session.hung) return;
    this.crashTimes.push(Date.now());
    const how = `code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}`;
    const cause = `${how}\n${exit.stderrTail.slice(-4000)}`;
    const loading = [...session.loads][0];
    const gpu = unfinishedGpuAttempt(exit.stderrTail);
    session.crash = session.hung
      ? new ModelError('model-crashed', "Le moteur du modèle ne répondait plus : il a été arrêté et sera relancé.", { cause })
      : gpu
      ? new ModelError(
          'gpu-crashed',
          `Le GPU (${gpu.device}) a arrêté le moteur pendant l'essai du modèle ${gpu.fileName}. Relancez la demande : le modèle sera chargé sur le processeur.`,
          { cause, file: loading ?? gpu.fileName },
        )
      : loading
      ? new ModelError('model-crashed', `Le modèle ${basename(loading)} est illisible ou incompatible (le moteur s'est arrêté).`, { file: loading, cause })
      : new ModelError(
          'model-crashed',
          `Le moteur du modèle s'est arrêté de façon inattendue${this.loadedFile ? ` (modèle ${this.loadedFile})` : ''} ; il sera relancé à la prochaine demande.`,
          { cause, ...(this.loadedFile ? { file: this.loadedFile } : {}) },
        );
    this.loadedFile = undefined;
    this.setStatus({ state: 'crashed', message: session.crash.message, recentCrashes: this.crashTimes.length });
    // A shell that shows the engine's state restarts it now (within the crash limit); the CLI waits for its next call.
    if (this.options.autoRestart && !this.disposing) setTimeout(() => void this.ensure().catch(() => {}), 0);
  }

  /** A closed link means the process died (or was stopped): say so as a ModelError the agent can read. */
  private async translate(error: unknown, session: Session): Promise<unknown> {
    if (!(error instanceof RpcError) || error.code !== 'transport-closed') return error;
    // The channel closes a moment before the exit is known: wait for it, briefly.
    await Promise.race([session.proc.exited, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    if (session.crash) return session.crash;
    return new ModelError('engine-unavailable', 'Le moteur du modèle a été arrêté pendant la demande.', { cause: error });
  }

  private async stopSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    session.stopping = true;
    await session.proc.stop();
    this.setStatus({ state: 'stopped', recentCrashes: this.crashTimes.length });
  }

  private setStatus(status: EngineStatus): void {
    this.current = status;
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...status });
      } catch {
        // A UI listener cannot break supervision.
      }
    }
  }
}

/** Events that only say how far a call has got (`status`, load `progress`, `measuring`): repeating them is harmless. */
function isProgressEvent(event: unknown): boolean {
  const type = (event as { type?: unknown } | null)?.type;
  return type === 'status' || type === 'progress' || type === 'measuring';
}

function isGpuCrash(error: unknown): boolean {
  return error instanceof ModelError && error.code === 'gpu-crashed';
}
