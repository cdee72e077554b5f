import type { ContractChannel } from '../assistant/contract/buildApi.js';
import type { BridgeOutcome } from '../assistant/contract/bridgeTransport.js';
import type { GuichetContract } from '../assistant/contract/engineContract.js';
import { ENGINE_ERRORS } from '../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../assistant/contract/engineMethods.js';
import { isMethodOf } from '../assistant/contract/method.js';
import type { RpcId, RpcMessage } from '../assistant/contract/protocol.js';
import { RpcServer } from '../assistant/contract/rpcServer.js';
import { forwardingHandlers } from '../assistant/host/forwardingHandlers.js';
import { RequestMultiplexer } from '../assistant/host/requestMultiplexer.js';
import { IPC_CHANNELS, type BridgeRequest } from './ipcChannels.js';

/** Electron's `MessagePortMain` (docs/api/message-port-main.md): `message` events are `{ data, ports }`. */
export interface MainPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** What the relay reads of an IPC event (`IpcMainEvent`, `IpcMainInvokeEvent`): who sent it, and its ports. */
export interface RelayEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string } | null;
  readonly ports?: readonly MainPortLike[];
}

/** What the relay uses of Electron's `ipcMain` (docs/api/ipc-main.md). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: RelayEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: RelayEvent, ...args: unknown[]) => void): unknown;
  removeAllListeners(channel: string): unknown;
}

/** Options of {@link relayContract}. */
export interface RelayOptions {
  /** Whether a frame may use the contract: only the app's own pages (`app://guichet/…`). */
  isTrustedFrame(url: string): boolean;
  onInternalError?: (method: string, error: unknown) => void;
}

/** The main process's relay, to stop at quit. */
export interface ContractRelay {
  dispose(): void;
}

/**
 * The main process's side of the preload's bridge: every invoke and stream port becomes a request of one `RpcServer`
 * (validating parameters against the table, serialising errors as the web shell's does), forwarded to the channel
 * (`guichetChannel(host)`). The main process relays and does nothing else; a frame that is not the app's is refused.
 */
export function relayContract(ipcMain: IpcMainLike, channel: ContractChannel<GuichetContract>, options: RelayOptions): ContractRelay {
  const multiplexer = new RequestMultiplexer();
  const rpc = new RpcServer(multiplexer.transport, GUICHET_METHODS, forwardingHandlers(GUICHET_METHODS, channel), {
    errors: ENGINE_ERRORS,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });
  /** Server ids of the plain calls in progress, by window and page id. */
  const invokes = new Map<string, RpcId>();
  const trusted = (event: RelayEvent): boolean => event.senderFrame !== null && options.isTrustedFrame(event.senderFrame.url);

  ipcMain.handle(IPC_CHANNELS.invoke, (event, raw) => {
    const request = asRequest(raw);
    if (!request || !trusted(event)) return refusal(request?.id ?? 0, 'Demande refusée : cette page n’est pas celle de Guichet.');
    if (!isMethodOf(GUICHET_METHODS, request.method) || GUICHET_METHODS[request.method].stream) return refusal(request.id, `Méthode inconnue : ${request.method}.`, 'unknown-method');
    const key = `${event.sender.id}:${request.id}`;
    return new Promise<BridgeOutcome>((resolve) => {
      const serverId = multiplexer.request(request.method, request.params, {
        write(message) {
          if (message.kind !== 'result' && message.kind !== 'error') return;
          invokes.delete(key);
          resolve({ ...message, id: request.id });
        },
      });
      invokes.set(key, serverId);
    });
  });

  ipcMain.on(IPC_CHANNELS.cancel, (event, raw) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const serverId = typeof id === 'number' ? invokes.get(`${event.sender.id}:${id}`) : undefined;
    if (serverId !== undefined) multiplexer.cancel(serverId);
  });

  ipcMain.on(IPC_CHANNELS.stream, (event, raw) => {
    const port = event.ports?.[0];
    if (!port) return;
    const request = asRequest(raw);
    if (!request || !trusted(event) || !isMethodOf(GUICHET_METHODS, request.method) || !GUICHET_METHODS[request.method].stream) {
      port.postMessage(refusal(request?.id ?? 0, 'Demande refusée.', 'unknown-method'));
      port.close();
      return;
    }
    let finished = false;
    const serverId = multiplexer.request(request.method, request.params, {
      write(message: RpcMessage) {
        port.postMessage({ ...message, id: request.id });
        if (message.kind === 'result' || message.kind === 'error') {
          finished = true;
          port.close();
        }
      },
    });
    port.on('message', ({ data }) => {
      if ((data as { kind?: unknown } | null)?.kind === 'cancel') multiplexer.cancel(serverId);
    });
    // The page went away (reload, closed window): its streams stop.
    port.on('close', () => {
      if (!finished) multiplexer.cancel(serverId);
    });
    port.start();
  });

  return {
    dispose() {
      ipcMain.removeHandler(IPC_CHANNELS.invoke);
      ipcMain.removeAllListeners(IPC_CHANNELS.cancel);
      ipcMain.removeAllListeners(IPC_CHANNELS.stream);
      rpc.dispose();
      multiplexer.close('application fermée');
    },
  };
}

function asRequest(raw: unknown): BridgeRequest | undefined {
  const { id, method, params } = (raw ?? {}) as Partial<BridgeRequest>;
  return typeof id === 'number' && typeof method === 'string' ? { id, method, params } : undefined;
}

function refusal(id: RpcId, message: string, code: 'unknown-method' | 'transport-closed' = 'transport-closed'): BridgeOutcome {
  return { kind: 'error', id, error: { name: 'RpcError', code, message } };
}
