/** The IPC channel names between the desktop preload and the main process: nothing else is listened to. */
export const IPC_CHANNELS = {
  /** `ipcRenderer.invoke`: `{ id, method, params }` → the call's result or error message. */
  invoke: 'guichet:invoke',
  /** `ipcRenderer.postMessage` with one MessagePort: `{ id, method, params }`; the stream's messages come back on the port. */
  stream: 'guichet:stream',
  /** `ipcRenderer.send`: `{ id }` of a plain call to stop (a stream is cancelled on its own port). */
  cancel: 'guichet:cancel',
} as const;

/** The request of one call or stream, as the preload sends it. */
export interface BridgeRequest {
  id: number;
  method: string;
  params: unknown;
}
