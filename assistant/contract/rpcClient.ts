import { EventQueue } from './eventQueue.js';
import type { CallOptions, ContractStream } from './contractStream.js';
import { abortError, type ErrorRegistry, isAbort } from './errorRegistry.js';
import type { RpcContract, RpcId, RpcMessage, RpcMethodName } from './protocol.js';
import { RpcError } from './rpcError.js';
import type { Transport } from './transport.js';

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Rebuilds expected errors as their own classes (`ModelError`…): the contract's one registry. */
  errors: ErrorRegistry;
  /** Receives errors thrown by `onEvent` listeners. Default: `console.error`. */
  onListenerError?: (error: unknown) => void;
  /**
   * After a stream's cancel, how long to wait for the server's own ending (its partial result) before ending it
   * locally with an `AbortError`, ms. Default 10,000: a stalled engine cannot hold a stopped stream open.
   */
  cancelGraceMs?: number;
}

interface Pending {
  onEvent(event: unknown): void;
  settle(outcome: { value: unknown } | { error: Error }): void;
}

/**
 * The generic client of a contract over any transport: `call` for a request/response, `stream` for a request whose
 * events are read as an async iterable. When the transport closes, every pending call rejects with
 * {@link RpcError} `transport-closed`. Typed objects (`api.corpus.info()`) are built on it by `buildApi`.
 */
export class RpcClient<C extends RpcContract> {
  private readonly pending = new Map<RpcId, Pending>();
  private nextId = 1;
  private closedReason: string | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly options: RpcClientOptions,
  ) {
    transport.onMessage((message) => this.receive(message));
    transport.onClose((reason) => this.failAll(reason));
  }

  /** Requests sent and not yet settled. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Calls a method and resolves with its result; an abort rejects at once and tells the server. */
  call<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: CallOptions<C[M]['event']> = {}): Promise<C[M]['result']> {
    return new Promise<C[M]['result']>((resolve, reject) => {
      const settle = (outcome: { value: unknown } | { error: Error }): void => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as C[M]['result']));
      const id = this.start(method, params, { onEvent: (event) => this.notify(options.onEvent, event), settle });
      if (id === undefined) return;
      this.onAbort(options.signal, () => {
        if (!this.pending.delete(id)) return;
        this.transport.send({ kind: 'cancel', id });
        settle({ error: abortError(options.signal?.reason) });
      });
    });
  }

  /** Calls a streaming method: its events as an async iterable, its result as a promise; see {@link ContractStream}. */
  stream<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options: CallOptions<C[M]['event']> = {}): ContractStream<C[M]['event'], C[M]['result']> {
    type E = C[M]['event'];
    let settled = false;
    let settleResult!: (outcome: { value: unknown } | { error: Error }) => void;
    const result = new Promise<C[M]['result']>((resolve, reject) => {
      settleResult = (outcome) => ('error' in outcome ? reject(outcome.error) : resolve(outcome.value as C[M]['result']));
    });
    // Whoever only iterates must not get an unhandled rejection from the result they never read.
    result.catch(() => {});
    let cancel = (): void => {};
    const events = new EventQueue<E>(() => cancel());
    const settle = (outcome: { value: unknown } | { error: Error }): void => {
      if (settled) return;
      settled = true;
      // An abort ends the iteration quietly; the result says it was aborted.
      events.end('error' in outcome && !isAbort(outcome.error) ? outcome.error : undefined);
      settleResult(outcome);
    };
    const id = this.start(method, params, {
      onEvent: (event) => {
        this.notify(options.onEvent, event);
        events.push(event as E);
      },
      settle,
    });
    if (id !== undefined) {
      let cancelled = false;
      cancel = () => {
        if (cancelled || settled) return;
        cancelled = true;
        this.transport.send({ kind: 'cancel', id });
        const grace = setTimeout(() => {
          if (this.pending.delete(id)) settle({ error: abortError() });
        }, this.options.cancelGraceMs ?? 10_000);
        void result.finally(() => clearTimeout(grace)).catch(() => {});
      };
      this.onAbort(options.signal, cancel);
    }
    return { result, cancel: () => cancel(), [Symbol.asyncIterator]: () => events[Symbol.asyncIterator]() };
  }

  /** Rejects every pending call and closes the transport. Safe to call twice. */
  close(): void {
    this.transport.close();
    this.failAll('client fermé');
  }

  /** Sends the request; `undefined` when it settled at once (closed client). */
  private start(method: string, params: unknown, pending: Pending): RpcId | undefined {
    if (this.closedReason !== undefined) {
      pending.settle({ error: this.closedError() });
      return undefined;
    }
    const id = this.nextId++;
    this.pending.set(id, pending);
    this.transport.send({ kind: 'request', id, method, params });
    return id;
  }

  private onAbort(signal: AbortSignal | undefined, action: () => void): void {
    if (!signal) return;
    if (signal.aborted) queueMicrotask(action);
    else signal.addEventListener('abort', action, { once: true });
  }

  private receive(message: RpcMessage): void {
    if (message.kind === 'request' || message.kind === 'cancel') return;
    const pending = this.pending.get(message.id);
    if (!pending) return; // settled already (aborted call): late messages are dropped
    if (message.kind === 'event') {
      pending.onEvent(message.event);
      return;
    }
    this.pending.delete(message.id);
    if (message.kind === 'result') pending.settle({ value: message.value });
    else pending.settle({ error: this.options.errors.revive(message.error) });
  }

  private notify<E>(listener: ((event: E) => void) | undefined, event: unknown): void {
    if (!listener) return;
    try {
      listener(event as E);
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
