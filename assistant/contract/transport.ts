import type { RpcMessage } from './protocol.js';

/**
 * A two-way channel for {@link RpcMessage}s. Implementations: {@link createMemoryTransportPair} (tests, in-process),
 * `processTransport` (child_process IPC); an Electron MessagePort or an HTTP stream can implement the same four
 * methods, and the client and server above do not change.
 */
export interface Transport {
  /** Sends one message. After the transport closed, messages are dropped silently: the close listeners already ran. */
  send(message: RpcMessage): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: RpcMessage) => void): () => void;
  /** Called once when the channel closes, from either side; `reason` is technical, for the log. */
  onClose(listener: (reason: string) => void): () => void;
  /** Closes the channel. Safe to call twice. */
  close(): void;
}

/** Listener bookkeeping shared by the transports. */
export class TransportListeners {
  private readonly messageListeners = new Set<(message: RpcMessage) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closedWith: string | undefined;

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  onMessage(listener: (message: RpcMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    if (this.closedWith !== undefined) {
      const reason = this.closedWith;
      queueMicrotask(() => listener(reason));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  deliver(message: RpcMessage): void {
    if (this.closedWith !== undefined) return;
    for (const listener of [...this.messageListeners]) listener(message);
  }

  close(reason: string): void {
    if (this.closedWith !== undefined) return;
    this.closedWith = reason;
    for (const listener of [...this.closeListeners]) listener(reason);
    this.closeListeners.clear();
    this.messageListeners.clear();
  }
}

/**
 * Two connected in-memory transports. Messages are structured-cloned and delivered asynchronously, as a real channel
 * would: a test over this pair catches code that shares objects or relies on synchronous delivery.
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const left = new TransportListeners();
  const right = new TransportListeners();
  const make = (own: TransportListeners, other: TransportListeners): Transport => ({
    send(message) {
      if (own.closed) return;
      const copy = structuredClone(message);
      queueMicrotask(() => other.deliver(copy));
    },
    onMessage: (listener) => own.onMessage(listener),
    onClose: (listener) => own.onClose(listener),
    close() {
      if (own.closed) return;
      // The other side learns of the close after the messages already in flight, as with a real pipe.
      queueMicrotask(() => other.close("fermé par l’autre côté"));
      own.close('fermé');
    },
  });
  return [make(left, right), make(right, left)];
}
