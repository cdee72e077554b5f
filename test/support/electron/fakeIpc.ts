import type { MessagePort as NodeMessagePort } from 'node:worker_threads';
import type { IpcMainLike, MainPortLike, RelayEvent } from '../../../electron/ipcRelay.js';
import type { IpcRendererLike } from '../../../electron/preloadBridge.js';

/**
 * Electron's IPC between one page and the main process, as docs/api/ipc-main.md and ipc-renderer.md describe it:
 * `ipcRenderer.invoke` reaches the `ipcMain.handle` listener (arguments structured-cloned, its return value or
 * promise resolved back), `send` reaches `ipcMain.on`, `postMessage(channel, message, [port])` reaches `ipcMain.on`
 * with `event.ports` holding the transferred ports as `MessagePortMain`s. The ports are real Node `MessageChannel`
 * ports (the page keeps `port1`, whose `onmessage` gets `{ data }`); on the main side each is wrapped as Electron's
 * `MessagePortMain`: `message` events are `{ data, ports }`, `start()`, `close()`, and a `close` event.
 */
export class FakeIpc {
  private readonly handlers = new Map<string, (event: RelayEvent, ...args: unknown[]) => unknown>();
  private readonly listeners = new Map<string, ((event: RelayEvent, ...args: unknown[]) => void)[]>();

  constructor(private readonly frameUrl = 'app://guichet/index.html', private readonly webContentsId = 1) {}

  readonly main: IpcMainLike = {
    handle: (channel, listener) => {
      if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      this.handlers.set(channel, listener);
    },
    removeHandler: (channel) => void this.handlers.delete(channel),
    on: (channel, listener) => {
      this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
      return this.main;
    },
    removeAllListeners: (channel) => {
      this.listeners.delete(channel);
      return this.main;
    },
  };

  readonly renderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = this.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      await Promise.resolve();
      return structuredClone(await handler(this.event(), ...structuredClone(args)));
    },
    send: (channel, ...args) => {
      const copy = structuredClone(args);
      queueMicrotask(() => this.emit(channel, this.event(), copy));
    },
    postMessage: (channel, message, transfer = []) => {
      const copy = structuredClone(message);
      const ports = (transfer as NodeMessagePort[]).map(mainPort);
      queueMicrotask(() => this.emit(channel, this.event(ports), [copy]));
    },
  };

  private event(ports: MainPortLike[] = []): RelayEvent {
    return { sender: { id: this.webContentsId }, senderFrame: { url: this.frameUrl }, ports };
  }

  private emit(channel: string, event: RelayEvent, args: unknown[]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }
}

/** A Node port seen as Electron's `MessagePortMain`: messages queue until `start()`. */
function mainPort(port: NodeMessagePort): MainPortLike {
  const queued: ((event: { data: unknown; ports: [] }) => void)[] = [];
  const wrapper = {
    postMessage: (message: unknown) => port.postMessage(message),
    on(event: 'message' | 'close', listener: ((messageEvent: { data: unknown; ports: [] }) => void) | (() => void)) {
      if (event === 'message') queued.push(listener as (messageEvent: { data: unknown; ports: [] }) => void);
      else port.on('close', listener as () => void);
      return wrapper;
    },
    start() {
      port.on('message', (data: unknown) => {
        for (const listener of queued) listener({ data, ports: [] });
      });
      port.start();
    },
    close: () => port.close(),
  };
  return wrapper as MainPortLike;
}
