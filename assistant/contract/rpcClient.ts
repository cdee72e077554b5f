import { EventQueue } from './eventQueue.js';
import type { RpcContract, RpcId, RpcMessage, RpcMethodName } from './protocol.js';
import { abortError, type ErrorReviver, RpcError, reviveError } from './rpcError.js';
import type { Transport } from './transport.js';

/** Options of one call. */
export interface RpcCallOptions<E> {
  /**
   * Aborting settles the call at once (rejects with an `AbortError`, ends a stream) and asks the server to stop;
   * whatever the server sends afterwards for this request is dropped.
   */
  signal?: AbortSignal;
  /** Each event of the request, in order. A listener that throws is reported and the call goes on. */
  onEvent?: (event: E) => void;
}

/** A streaming call: iterate its events; `result` settles when the server answers (or the call is aborted). */
export interface RpcStream<E, R> extends AsyncIterable<E> {
  readonly result: Promise<R>;
}

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Rebuilds expected errors as their own classes (`ModelError`…). */
  revive?: ErrorReviver;
  /** Receives errors thrown by `onEvent` listeners. Default: `console.error`. */
  onListenerError?: (error: unknown) => void;
}

interface Pending {
  onEvent(event: unknown): void;
  settle(outcome: { value: unknown } | { error: Error }): void;
}

/**
 * The typed client of a contract over any transport: `call` for a request/response, `stream` for a request whose
 * events are read as an async iterable. When the transport closes, every pending call rejects with
 * {@link RpcError} `transport-closed`.
 */
export class RpcClient<C extends RpcContract> {
  private readonly pending = new Map<RpcId, Pending>();
  private nextId = 1;
  private closedReason: string | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly options: RpcClientOptions = {},
  ) {
    transport.onMessage((message) => this.receive(message));
    transport.onClose((reason) => this.failAll(reason));
  }

  /** Requests sent and not yet settled. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Calls a method and resolves with its result. */
  call<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: RpcCallOptions<C[M]['event']> = {}): Promise<C[M]['result']> {
    return new Promise<C[M]['result']>((resolve, reject) => {
      this.start(method, params, options.signal, {
        onEvent: (event) => this.notify(options.onEvent, event as C[M]['event']),
        settle: (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as C[M]['result'])),
      });
    });
  }

  /** Calls a streaming method: its events as an async iterable, its result as a promise. */
  stream<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: RpcCallOptions<C[M]['event']> = {}): RpcStream<C[M]['event'], C[M]['result']> {
    type E = C[M]['event'];
    const events = new EventQueue<E>();
    let settleResult!: (outcome: { value: unknown } | { error: Error }) => void;
    const result = new Promise<C[M]['result']>((resolve, reject) => {
      settleResult = (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as C[M]['result']));
    });
    // Whoever only iterates must not get an unhandled rejection from the result they never read.
    result.catch(() => {});

    this.start(method, params, options.signal, {
      onEvent: (event) => {
        this.notify(options.onEvent, event as E);
        events.push(event as E);
      },
      settle: (outcome) => {
        // An abort ends the iteration quietly; the result says it was aborted.
        events.end('error' in outcome && outcome.error.name !== 'AbortError' ? outcome.error : undefined);
        settleResult(outcome);
      },
    });

    return { result, [Symbol.asyncIterator]: () => events[Symbol.asyncIterator]() };
  }

  /** Rejects every pending call and closes the transport. Safe to call twice. */
  close(): void {
    this.transport.close();
    this.failAll('client fermé');
  }

  private start(method: string, params: unknown, signal: AbortSignal | undefined, pending: Pending): void {
    if (this.closedReason !== undefined) {
      pending.settle({ error: this.closedError() });
      return;
    }
    if (signal?.aborted) {
      pending.settle({ error: abortError(signal.reason) });
      return;
    }
    const id = this.nextId++;
    const onAbort = (): void => {
      if (!this.pending.delete(id)) return;
      this.transport.send({ kind: 'cancel', id });
      pending.settle({ error: abortError(signal?.reason) });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.pending.set(id, {
      onEvent: pending.onEvent,
      settle: (outcome) => {
        signal?.removeEventListener('abort', onAbort);
        pending.settle(outcome);
      },
    });
    this.transport.send({ kind: 'request', id, method, params });
  }

  private receive(message: RpcMessage): void {
    if (message.kind === 'request' || message.kind === 'cancel') return;
    const pending = this.pending.get(message.id);
    if (!pending) return; // settled already (aborted): late messages are dropped
    if (message.kind === 'event') {
      pending.onEvent(message.event);
      return;
    }
    this.pending.delete(message.id);
    if (message.kind === 'result') pending.settle({ value: message.value });
    else pending.settle({ error: reviveError(message.error, this.options.revive) });
  }

  private notify<E>(listener: ((event: E) => void) | undefined, event: E): void {
    if (!listener) return;
    try {
      listener(event);
    } catch (error) {
      (this.options.onListenerError ?? ((e: unknown) => console.error('Écouteur d’événements en erreur :', e)))(error);
    }
  }

  private failAll(reason: string): void {
    if (this.closedReason === undefined) this.closedReason = reason;
    const error = this.closedError();
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.settle({ error });
  }

  private closedError(): RpcError {
    return new RpcError('transport-closed', 'La liaison avec le moteur est fermée.', { cause: this.closedReason });
  }
}
