import { portTransport, type MessagePortLike } from '../contract/portTransport.js';
import { processTransport } from '../contract/processTransport.js';
import type { Transport } from '../contract/transport.js';
import { ENGINE_SHUTDOWN } from '../contract/engineConfig.js';

/**
 * Electron's `process.parentPort` in a utility process, as documented: its `message` events are
 * `{ data, ports }` (a MessageEvent), it has `postMessage(message)`, and no event tells that the parent left (Electron
 * ends the utility process itself when the main process exits).
 */
export interface ParentPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (messageEvent: { data: unknown; ports: readonly unknown[] }) => void): unknown;
  off?(event: 'message', listener: (messageEvent: { data: unknown; ports: readonly unknown[] }) => void): unknown;
}

/** What the engine process knows of its host: the RPC transport, its greeting, and when to leave. */
export interface HostLink {
  readonly transport: Transport;
  greet(message: unknown): void;
  /** Called once when the host wants this process to end (fork: the channel disconnected; Electron: a shutdown message). */
  onHostGone(listener: () => void): void;
}

/** The engine process as this module needs it: Node's `process`, with Electron's `parentPort` in a utility process. */
export interface EngineProcessGlobals {
  parentPort?: ParentPortLike;
  send?: NodeJS.Process['send'];
  once(event: 'disconnect', listener: () => void): unknown;
}

/** The host's channel: Electron's `process.parentPort` in a utility process, else Node's fork IPC. */
export function hostLink(proc: EngineProcessGlobals = process as unknown as EngineProcessGlobals): HostLink {
  const parentPort = proc.parentPort;
  if (parentPort) return parentPortLink(parentPort);
  const send = proc.send?.bind(proc);
  if (!send) throw new Error('engineMain doit être lancé par un hôte (child_process.fork ou utilityProcess).');
  return {
    transport: processTransport(proc as unknown as Parameters<typeof processTransport>[0]),
    greet: (message) => send(message),
    onHostGone: (listener) => void proc.once('disconnect', listener),
  };
}

/** A utility process: RPC messages in `event.data`; the host's {@link ENGINE_SHUTDOWN} message asks it to leave. */
export function parentPortLink(parentPort: ParentPortLike): HostLink {
  const goneListeners: (() => void)[] = [];
  let gone = false;
  const onShutdown = (event: { data: unknown }): void => {
    if ((event.data as { type?: unknown } | null)?.type !== ENGINE_SHUTDOWN || gone) return;
    gone = true;
    transport.end("arrêt demandé par l'hôte");
    for (const listener of goneListeners) listener();
  };
  const transport = portTransport(parentPort as MessagePortLike, (event) => (event as { data?: unknown }).data);
  parentPort.on('message', onShutdown);
  return { transport, greet: (message) => parentPort.postMessage(message), onHostGone: (listener) => void goneListeners.push(listener) };
}
