import type { RpcContract, RpcId, RpcMessage, RpcMethod, RpcMethodName } from './protocol.js';
import { RpcError, serializeError } from './rpcError.js';
import type { Transport } from './transport.js';

/** What a handler receives besides its parameters. */
export interface RpcCallContext<E> {
  /** Aborted when the client cancels the request or the server is disposed. */
  signal: AbortSignal;
  /**
   * Sends one event to the client. Never throws: a failure to deliver (closed transport) must not break the work
   * in progress, such as a generation.
   */
  emit(event: E): void;
}

/**
 * One method's implementation. `parse` validates the raw parameters (a zod schema's `parse` fits) and throws on bad
 * input; `run` does the work.
 */
export interface RpcHandler<S extends RpcMethod<unknown, unknown, unknown>> {
  parse(params: unknown): S['params'];
  run(params: S['params'], context: RpcCallContext<S['event']>): Promise<S['result']>;
}

/** The handlers of a whole contract, one per method. */
export type RpcHandlers<C extends RpcContract> = { [M in RpcMethodName<C>]: RpcHandler<C[M]> };

/** Options of {@link RpcServer}. */
export interface RpcServerOptions {
  /** Called with a handler's unexpected error (a bug), for the log. Default: nothing. */
  onInternalError?: (method: string, error: unknown) => void;
}

/**
 * Serves a contract over a transport: dispatches each request to its handler with its own AbortController, relays
 * events, sends one result or error, aborts on cancel. Requests run concurrently; handlers serialise what must be.
 */
export class RpcServer<C extends RpcContract> {
  private readonly running = new Map<RpcId, AbortController>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    private readonly transport: Transport,
    private readonly handlers: RpcHandlers<C>,
    private readonly options: RpcServerOptions = {},
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
      const handler = Object.hasOwn(this.handlers, method) ? this.handlers[method as RpcMethodName<C>] : undefined;
      if (!handler) throw new RpcError('unknown-method', `Méthode inconnue du moteur : ${method}.`);
      let params: unknown;
      try {
        params = handler.parse(rawParams);
      } catch (cause) {
        throw new RpcError('invalid-params', `Paramètres invalides pour ${method}.`, { cause });
      }
      const value = await handler.run(params, {
        signal: controller.signal,
        emit: (event) => this.send({ kind: 'event', id, event }),
      });
      this.send({ kind: 'result', id, value });
    } catch (error) {
      const data = serializeError(error);
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
