import { isRpcMessage } from './protocol.js';
import { type Transport, TransportListeners } from './transport.js';

/**
 * A message port as Electron gives them: `process.parentPort` in a utility process (its events wrap the message in
 * `data`) and the `UtilityProcess` handle in the main process (its events are the message itself).
 */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: unknown) => void): unknown;
  off?(event: 'message', listener: (event: unknown) => void): unknown;
}

/** A {@link Transport} over a message port, plus `end` for the owner to report that the other side is gone. */
export type PortTransport = Transport & { end(reason: string): void };

/**
 * A {@link Transport} over an Electron message port. Non-RPC messages (the engine's « ready » greeting) are ignored.
 * @param unwrap Gets the message out of an event: `(event) => event.data` for `process.parentPort`. Default: as is.
 */
export function portTransport(port: MessagePortLike, unwrap: (event: unknown) => unknown = (event) => event): PortTransport {
  const listeners = new TransportListeners();
  const onMessage = (event: unknown): void => {
    const message = unwrap(event);
    if (isRpcMessage(message)) listeners.deliver(message);
  };
  port.on('message', onMessage);
  const end = (reason: string): void => {
    port.off?.('message', onMessage);
    listeners.close(reason);
  };
  return {
    send(message) {
      if (listeners.closed) return;
      try {
        port.postMessage(message);
      } catch (error) {
        end(`envoi impossible : ${(error as Error).message}`);
      }
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close: () => end('fermé'),
    end,
  };
}
