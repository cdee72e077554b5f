import { isRpcMessage } from './protocol.js';
import { type Transport, TransportListeners } from './transport.js';

/**
 * The IPC end of a forked process, seen from either side: the parent's `ChildProcess` or the child's `process`.
 * Only what the transport needs, so that tests and other runtimes can supply their own.
 */
export interface IpcChannel {
  send?(message: unknown, callback?: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'disconnect', listener: () => void): unknown;
  disconnect?(): void;
  readonly connected?: boolean;
}

/**
 * A {@link Transport} over Node's child_process IPC channel. Non-RPC messages on the channel (such as the engine's
 * « ready » greeting) are ignored here. A send on a channel that just closed is dropped: the close listener reports it.
 */
export function processTransport(channel: IpcChannel): Transport {
  const listeners = new TransportListeners();
  const onMessage = (message: unknown): void => {
    if (isRpcMessage(message)) listeners.deliver(message);
  };
  const onDisconnect = (): void => finish('canal IPC déconnecté');
  const finish = (reason: string): void => {
    channel.off('message', onMessage);
    channel.off('disconnect', onDisconnect);
    listeners.close(reason);
  };
  channel.on('message', onMessage);
  channel.on('disconnect', onDisconnect);
  return {
    send(message) {
      if (listeners.closed || channel.connected === false || !channel.send) return;
      try {
        channel.send(message, (error) => {
          if (error) finish(`envoi IPC impossible : ${error.message}`);
        });
      } catch (error) {
        finish(`envoi IPC impossible : ${(error as Error).message}`);
      }
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      if (listeners.closed) return;
      finish('fermé');
      if (channel.connected !== false) channel.disconnect?.();
    },
  };
}
