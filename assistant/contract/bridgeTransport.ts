import { isRpcMessage, type RpcErrorMessage, type RpcId, type RpcResultMessage } from './protocol.js';
import { type Transport, TransportListeners } from './transport.js';

/** The last message of a request over the bridge: its result or its error, as plain data. */
export type BridgeOutcome = RpcResultMessage | RpcErrorMessage;

/**
 * What the desktop preload exposes to the page through `contextBridge` (`window.guichetBridge`), derived from the
 * method table: `invoke` for plain calls, `subscribe` for streams (each over its own MessagePort), `cancel` for either.
 * Only plain data and functions cross the bridge — no class, no async iterator, no thrown error (contextBridge loses
 * their fields) — so errors travel as {@link BridgeOutcome} data and are rebuilt on this side by the contract's registry.
 * The ids are the page's own (the client's request ids); the preload checks each name against the table.
 */
export interface ContractBridge {
  /** A plain call: resolves with its result or error message (never rejects). */
  invoke(id: RpcId, method: string, params: unknown): Promise<BridgeOutcome>;
  /** A stream: `onMessage` gets its `event` messages, then one `result` or `error`. */
  subscribe(id: RpcId, method: string, params: unknown, onMessage: (message: unknown) => void): void;
  /** Stops a call or a stream (a stream still ends with its partial result). Unknown ids are ignored. */
  cancel(id: RpcId): void;
}

/** Names under which the desktop preload exposes the bridge in the page. */
export const BRIDGE_GLOBAL = 'guichetBridge';

/**
 * A {@link Transport} over the desktop preload's {@link ContractBridge}: give it to `RpcClient`, then `buildApi`, as
 * the web shell's page does with `httpTransport`. The renderer sees the same client either way.
 * @param streams Names of the streaming methods (`streamingMethods(table)`).
 */
export function bridgeTransport(bridge: ContractBridge, streams: readonly string[]): Transport {
  const listeners = new TransportListeners();
  const streaming = new Set(streams);
  const open = new Set<RpcId>();
  const receive = (id: RpcId, message: unknown): void => {
    if (!open.has(id) || !isRpcMessage(message) || message.id !== id) return;
    if (message.kind === 'result' || message.kind === 'error') open.delete(id);
    listeners.deliver(message);
  };
  const gone = (id: RpcId, cause: unknown): void =>
    receive(id, {
      kind: 'error',
      id,
      error: { name: 'RpcError', code: 'transport-closed', message: 'Guichet ne répond plus : fermez et rouvrez l’application.', cause: String(cause) },
    });
  return {
    send(message) {
      if (listeners.closed) return;
      if (message.kind === 'cancel') {
        if (open.has(message.id)) bridge.cancel(message.id);
        return;
      }
      if (message.kind !== 'request') return;
      const { id, method, params } = message;
      open.add(id);
      if (streaming.has(method)) {
        try {
          bridge.subscribe(id, method, params, (data) => receive(id, data));
        } catch (error) {
          gone(id, error);
        }
        return;
      }
      bridge.invoke(id, method, params).then(
        (outcome) => receive(id, outcome),
        (error: unknown) => gone(id, error),
      );
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      for (const id of open) bridge.cancel(id);
      open.clear();
      listeners.close('fermé');
    },
  };
}
