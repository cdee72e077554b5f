import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { CONTENT_SECURITY_POLICY } from '../assistant/contract/contentSecurityPolicy.js';

/** The query parameter of the launch URL that carries the token (`http://127.0.0.1:PORT/?jeton=…`). */
export const TOKEN_PARAM = 'jeton';

/**
 * What every response of the web shell carries: a strict Content-Security-Policy (only the shell's own origin, no
 * inline script, no eval, no framing), no MIME sniffing, no referrer, no caching of API answers by intermediaries.
 */
export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** What a request may do, after checking its Host, Origin and token. */
export type Verdict = { ok: true; viaQueryToken: boolean } | { ok: false; status: 401 | 403; reason: string };

/**
 * The shell's secret for one launch, and the checks that use it. A request is refused with 403 when its Host or its
 * Origin is not the shell's own (DNS rebinding, another site posting to the loopback), and with 401 when it carries
 * neither the launch token in the URL nor the session cookie set from it.
 */
export class ShellSecurity {
  readonly token = randomBytes(32).toString('base64url');
  private port = 0;

  /** Called once listening: the port is part of the only accepted Host and Origin values. */
  listeningOn(port: number): void {
    this.port = port;
  }

  /** Cookies are shared by every port of a host: one name per shell, so two shells never overwrite each other's. */
  get cookieName(): string {
    return `guichet-${this.port}`;
  }

  /** The URL to print: opening it sets the cookie. */
  launchUrl(): string {
    return `http://127.0.0.1:${this.port}/?${TOKEN_PARAM}=${this.token}`;
  }

  /** `Set-Cookie` for the session: HttpOnly (no script reads it), SameSite=Strict (no other site sends it). */
  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; Path=/; HttpOnly; SameSite=Strict`;
  }

  check(request: IncomingMessage, url: URL): Verdict {
    const own = [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
    const host = request.headers.host ?? '';
    if (!own.includes(host.toLowerCase())) return { ok: false, status: 403, reason: `hôte refusé : ${host || '(absent)'}` };
    const origin = request.headers.origin;
    if (origin !== undefined && !own.map((h) => `http://${h}`).includes(origin.toLowerCase())) return { ok: false, status: 403, reason: `origine refusée : ${origin}` };
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return { ok: false, status: 403, reason: `requête d'un autre site (${site})` };
    const fromQuery = url.searchParams.get(TOKEN_PARAM);
    if (fromQuery !== null && this.matches(fromQuery)) return { ok: true, viaQueryToken: true };
    if (this.matches(this.cookieOf(request))) return { ok: true, viaQueryToken: false };
    return { ok: false, status: 401, reason: 'jeton absent ou invalide' };
  }

  private cookieOf(request: IncomingMessage): string | undefined {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === this.cookieName) return value.join('=');
    }
    return undefined;
  }

  private matches(candidate: string | undefined): boolean {
    if (candidate === undefined) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
