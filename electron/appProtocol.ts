import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../assistant/contract/contentSecurityPolicy.js';

/** The renderer's scheme and host: `app://guichet/index.html`. Registered as standard and secure before `ready`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'guichet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX = `${APP_ORIGIN}/index.html`;

/** Whether a URL is one of the app's own pages or files. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** What every `app://` response carries: the web shell's own CSP and hardening headers. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The handler given to `protocol.handle('app', …)` (docs/api/protocol.md: a function of a `Request` returning a
 * `Response`): serves the built renderer from its folder, with the CSP; anything outside the folder or the host is 404.
 */
export function rendererHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = normalize(rendererDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const path = normalize(join(root, relative));
    if (!path.startsWith(root + sep)) return notFound();
    try {
      const body = await readFile(path);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...APP_RESPONSE_HEADERS, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' },
      });
    } catch {
      return notFound();
    }
  };
}

function notFound(): Response {
  return new Response('Introuvable', { status: 404, headers: { ...APP_RESPONSE_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}
