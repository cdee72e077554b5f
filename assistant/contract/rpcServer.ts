import type { ErrorRegistry } from './errorRegistry.js';
import type { EventOf, MethodTable, ParamsOut, ResultOf } from './method.js';
import { describeIssues } from './paramsIssues.js';
import type { RpcId, RpcMessage } from './protocol.js';
import { RpcError } from './rpcError.js';
import type { Transport } from './transport.js';

/** What a handler receives besides its parameters. */
export interface CallContext<E> {
  /** Aborted when the client cancels the request or the server is disposed. */
  signal: AbortSignal;
  /**
   * Sends one event to the client. Never throws: a failure to deliver (closed transport) must not break the work
   * in progress, such as a generation.
   */
  emit(event: E): void;
}

/** One method's implementation: receives validated parameters. */
export type Handler<S> = (params: ParamsOut<S>, context: CallContext<EventOf<S>>) => Promise<ResultOf<S>>;

/** Implementations of some methods of a table. */
export type Handlers<T extends MethodTable> = { [M in keyof T]: Handler<T[M]> };

/** Options of {@link RpcServer}. */
export interface RpcServerOptions {
  /** The contract's transferable errors. */
  errors: ErrorRegistry;
  /** Called with a handler's unexpected error (a bug), for the log. Default: nothing. */
  onInternalError?: (method: string, error: unknown) => void;
}

/**
 * Serves a method table over a transport: validates each request's parameters with the table's schema, dispatches
 * it to its handler with its own AbortController, relays events, sends one result or error, aborts on cancel.
 * Requests run concurrently; handlers serialise what must be.
 */
export class RpcServer<T extends MethodTable> {
  private readonly running = new Map<RpcId, AbortController>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    private readonly transport: Transport,
    private readonly table: T,
    private readonly handlers: Partial<Handlers<T>>,
    private readonly options: RpcServerOptions,
  ) {
    this.unsubscribe = transport.onMessage((message) => this.receive(message));
    transport.onClose(() => this.abortAll('transport fermé'));
  }

  /** Requests in progress. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Aborts every request in progress and stops listening. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unsubscribe();
    this.abortAll('serveur arrêté');
  }

  private receive(message: RpcMessage): void {
    if (message.kind === 'cancel') {
      this.running.get(message.id)?.abort(new DOMException('Annulé par le client.', 'AbortError'));
      return;
    }
    if (message.kind === 'request') void this.handle(message.id, message.method, message.params);
  }

  private async handle(id: RpcId, method: string, rawParams: unknown): Promise<void> {
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      const spec = Object.hasOwn(this.table, method) ? this.table[method] : undefined;
      const handler = spec && Object.hasOwn(this.handlers, method) ? (this.handlers[method] as Handler<unknown> | undefined) : undefined;
      if (!spec || !handler) throw new RpcError('unknown-method', `Méthode inconnue du moteur : ${method}.`);
      const parsed = spec.params.safeParse(rawParams);
      if (!parsed.success) {
        throw new RpcError('invalid-params', `Demande refusée (${method}) : ${describeIssues(spec.params, parsed.error)}.`, { cause: parsed.error.message });
      }
      const value = await handler(parsed.data as never, {
        signal: controller.signal,
        emit: (event) => this.send({ kind: 'event', id, event }),
      });
      this.send({ kind: 'result', id, value });
    } catch (error) {
      const data = this.options.errors.serialize(error);
      if (data.name === 'RpcError' && data.code === 'internal') this.options.onInternalError?.(method, error);
      this.send({ kind: 'error', id, error: data });
    } finally {
      this.running.delete(id);
    }
  }

  private send(message: RpcMessage): void {
    try {
      this.transport.send(message);
    } catch {
      // A transport that throws is closing; its close listener aborts the work. The handler must go on unharmed.
    }
  }

  private abortAll(reason: string): void {
    for (const controller of this.running.values()) controller.abort(new DOMException(reason, 'AbortError'));
  }
}
