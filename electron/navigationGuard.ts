import { isAppUrl } from './appProtocol.js';

/** What the guard uses of Electron's `WebContents` (docs/api/web-contents.md). */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

/** Sites the agent may open in the system browser, after a confirmation: any `https` address (service-public.fr…). */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * No navigation away from the app, no new window, no webview: a link to service-public.fr (or any `https` site) the
 * page tries to open is offered to the system browser through `openExternal` (which asks the agent first); anything
 * else is dropped. Set on every web contents the app creates (`app.on('web-contents-created')`).
 */
export function guardNavigation(contents: GuardedContents, openExternal: (url: string) => void): void {
  const stay = (event: { preventDefault(): void; url: string }, url?: string): void => {
    const target = url ?? event.url;
    if (isAppUrl(target)) return;
    event.preventDefault();
    if (isExternalLink(target)) openExternal(target);
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
}
