import type { BridgeOutcome, ContractBridge } from '../assistant/contract/bridgeTransport.js';
import { isMethodOf, type MethodTable } from '../assistant/contract/method.js';
import type { RpcId } from '../assistant/contract/protocol.js';
import { IPC_CHANNELS, type BridgeRequest } from './ipcChannels.js';

/** What the preload uses of Electron's `ipcRenderer` (docs/api/ipc-renderer.md): three calls, no listener. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  postMessage(channel: string, message: unknown, transfer?: unknown[]): void;
}

/** The page side of a DOM `MessagePort` (the preload's global `MessageChannel`), as the bridge uses it. */
export interface StreamPort {
  onmessage: ((event: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** A DOM `MessageChannel`: `port1` stays in the preload, `port2` is transferred to the main process. */
export interface StreamChannel {
  readonly port1: StreamPort;
  readonly port2: unknown;
}

const domChannel = (): StreamChannel => new (globalThis as unknown as { MessageChannel: new () => StreamChannel }).MessageChannel();

/**
 * The desktop's {@link ContractBridge}, derived from the method table: a name outside the table, or a stream invoked
 * as a call, is refused here before anything reaches the main process. Each stream gets its own `MessageChannel`:
 * one port goes to the main process with the request, the other receives the stream's messages and sends its cancel.
 * The page never gets `ipcRenderer`, a port, or anything but these three functions.
 */
export function createContractBridge(table: MethodTable, ipc: IpcRendererLike, newChannel: () => StreamChannel = domChannel): ContractBridge {
  const streams = new Map<RpcId, StreamPort>();
  const invokes = new Set<RpcId>();
  const refused = (id: RpcId, method: string): BridgeOutcome => ({
    kind: 'error',
    id,
    error: { name: 'RpcError', code: 'unknown-method', message: `Méthode inconnue : ${String(method)}.` },
  });
  const bridge = {
    async invoke(id: RpcId, method: string, params: unknown): Promise<BridgeOutcome> {
      if (typeof method !== 'string' || !isMethodOf(table, method) || table[method]!.stream) return refused(id, method);
      invokes.add(id);
      try {
        return (await ipc.invoke(IPC_CHANNELS.invoke, { id, method, params } satisfies BridgeRequest)) as BridgeOutcome;
      } catch (error) {
        return { kind: 'error', id, error: { name: 'RpcError', code: 'transport-closed', message: 'Guichet ne répond plus : fermez et rouvrez l’application.', cause: String(error) } };
      } finally {
        invokes.delete(id);
      }
    },
    subscribe(id: RpcId, method: string, params: unknown, onMessage: (message: unknown) => void): void {
      if (typeof method !== 'string' || !isMethodOf(table, method) || !table[method]!.stream) {
        queueMicrotask(() => onMessage(refused(id, method)));
        return;
      }
      const { port1, port2 } = newChannel();
      streams.set(id, port1);
      port1.onmessage = (event) => {
        const kind = (event.data as { kind?: unknown } | null)?.kind;
        if (kind === 'result' || kind === 'error') {
          streams.delete(id);
          port1.close();
        }
        onMessage(event.data);
      };
      ipc.postMessage(IPC_CHANNELS.stream, { id, method, params } satisfies BridgeRequest, [port2]);
    },
    cancel(id: RpcId): void {
      const port = streams.get(id);
      if (port) port.postMessage({ kind: 'cancel', id });
      else if (invokes.has(id)) ipc.send(IPC_CHANNELS.cancel, { id });
    },
  } satisfies ContractBridge;
  return bridge;
}
