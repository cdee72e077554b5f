import type { RpcId, RpcMessage } from '../contract/protocol.js';
import { type Transport, TransportListeners } from '../contract/transport.js';

/** Where the messages of one HTTP request go: its response. */
export interface ResponseSink {
  /** One message for this request; the last one is its `result` or `error`. */
  write(message: RpcMessage): void;
}

/**
 * The server side of a shell's transport (HTTP requests in the web shell, IPC invokes and stream ports in the desktop shell): many requests multiplexed over one {@link Transport} given to
 * the one `RpcServer`. Each request opened here becomes a request message with a server-unique id; every message the
 * server sends for that id goes to that request's sink, until its result or error. Cancels (the cancel route, a client
 * that hung up) become cancel messages. Request matching stays in `RpcServer`: this only routes by id.
 */
export class RequestMultiplexer {
  private readonly listeners = new TransportListeners();
  private readonly sinks = new Map<RpcId, ResponseSink>();
  private readonly idle = new Set<() => void>();
  private nextId = 1;

  /** The transport to give to the `RpcServer`. */
  readonly transport: Transport = {
    send: (message) => this.route(message),
    onMessage: (listener) => this.listeners.onMessage(listener),
    onClose: (listener) => this.listeners.onClose(listener),
    close: () => this.close('fermé'),
  };

  /** Requests whose result has not been written yet. */
  get open(): number {
    return this.sinks.size;
  }

  /** Starts a request; returns its server id (for the response header and `cancel`). */
  request(method: string, params: unknown, sink: ResponseSink): RpcId {
    const id = this.nextId++;
    this.sinks.set(id, sink);
    // Delivered after the caller wrote its headers: the id must reach the client before the first event.
    queueMicrotask(() => this.listeners.deliver({ kind: 'request', id, method, params }));
    return id;
  }

  /** Asks the server to stop a request (its stream still ends with its partial result). Unknown ids are ignored. */
  cancel(id: RpcId): boolean {
    if (!this.sinks.has(id)) return false;
    this.listeners.deliver({ kind: 'cancel', id });
    return true;
  }

  /** Resolves once every open request has written its last message, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.sinks.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref?.();
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.idle.delete(done);
        resolve();
      }
      this.idle.add(done);
    });
  }

  /** Aborts everything in progress (the server's close listener aborts its handlers). */
  close(reason: string): void {
    this.sinks.clear();
    this.listeners.close(reason);
  }

  private route(message: RpcMessage): void {
    if (message.kind === 'request' || message.kind === 'cancel') return;
    const sink = this.sinks.get(message.id);
    if (!sink) return;
    const last = message.kind === 'result' || message.kind === 'error';
    if (last) this.sinks.delete(message.id);
    sink.write(message);
    if (last && this.sinks.size === 0) for (const done of [...this.idle]) done();
  }
}
