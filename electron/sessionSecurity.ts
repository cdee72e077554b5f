import { isAppUrl } from './appProtocol.js';

/** What the hardening uses of Electron's `Session` (docs/api/session.md, web-request.md). */
export interface SessionLike {
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
  };
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/** Schemes the page may load besides `app://`: inline images and blobs it builds itself (the CSP allows them too). */
const LOCAL_SCHEMES = new Set(['data:', 'blob:']);

/** Whether the page may load a URL: its own `app://` files, and data/blob it built; nothing on any network. */
export function isAllowedRequest(url: string): boolean {
  if (isAppUrl(url)) return true;
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

/**
 * Locks the app's session: every request outside `app://` is cancelled (even one the CSP would let through: defence
 * in depth, and the proof that nothing leaves the PC), every permission (camera, notifications, geolocation…) denied
 * when asked and when checked.
 * @param onBlocked Told of each blocked URL, for the log.
 */
export function hardenSession(session: SessionLike, onBlocked: (url: string) => void = () => {}): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) onBlocked(details.url);
    callback({ cancel: !allowed });
  });
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
