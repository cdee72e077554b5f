import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractChannel } from '../assistant/contract/buildApi.js';
import type { GuichetContract } from '../assistant/contract/engineContract.js';
import { ENGINE_ERRORS } from '../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../assistant/contract/engineMethods.js';
import { RpcServer } from '../assistant/contract/rpcServer.js';
import { answer, handleApi } from './apiRoutes.js';
import { forwardingHandlers } from '../assistant/host/forwardingHandlers.js';
import { RequestMultiplexer } from '../assistant/host/requestMultiplexer.js';
import { SECURITY_HEADERS, ShellSecurity, TOKEN_PARAM } from './shellSecurity.js';
import { StaticFiles } from './staticFiles.js';

/** Options of {@link startWebShell}. */
export interface WebShellOptions {
  /** The whole contract, usually `guichetChannel(host)`: every `/api/<method>` is forwarded to it. */
  channel: ContractChannel<GuichetContract>;
  /** The built renderer (`dist/renderer/`). */
  rendererDir: string;
  /** TCP port on 127.0.0.1. Default 0: any free port. */
  port?: number;
  /** Receives a handler's unexpected errors (bugs), for the log. */
  onInternalError?: (method: string, error: unknown) => void;
}

/** A running web shell. */
export interface WebShell {
  /** The URL to open, with this launch's token: `http://127.0.0.1:PORT/?jeton=…`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, cancels those in progress (streams end with what they had) and closes. Safe twice. */
  close(): Promise<void>;
}

const UNAUTHORIZED_PAGE = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Guichet : accès refusé</title></head><body>
<h1>Accès refusé</h1><p>Ouvrez l’adresse complète affichée par « npx guichet » dans le terminal (elle contient le jeton de cette session).</p></body></html>`;

/**
 * The local web shell of `guichet serve`: the built renderer and the contract over HTTP, on 127.0.0.1 only. One
 * `RpcServer` validates every request against the method table and forwards it to the channel; a multiplexing
 * transport maps HTTP requests to its messages. Security: a per-launch token (URL, then an HttpOnly SameSite=Strict
 * cookie, the token removed from the address by a redirect), Host and Origin checks, a strict CSP.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const security = new ShellSecurity();
  const files = new StaticFiles(options.rendererDir);
  const multiplexer = new RequestMultiplexer();
  const rpc = new RpcServer(multiplexer.transport, GUICHET_METHODS, forwardingHandlers(GUICHET_METHODS, options.channel), {
    errors: ENGINE_ERRORS,
    ...(options.onInternalError ? { onInternalError: options.onInternalError } : {}),
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const verdict = security.check(request, url);
    if (!verdict.ok) {
      if (verdict.status === 401 && request.method === 'GET' && !url.pathname.startsWith('/api/')) {
        response.writeHead(401, { ...(SECURITY_HEADERS as Record<string, string>), 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        response.end(UNAUTHORIZED_PAGE);
        return;
      }
      return answer(response, verdict.status, { message: verdict.status === 401 ? 'Jeton de session absent ou invalide.' : 'Origine refusée.', reason: verdict.reason });
    }
    if (verdict.viaQueryToken) {
      // The token leaves the address bar (and the history) at once; the cookie carries the session from now on.
      url.searchParams.delete(TOKEN_PARAM);
      response.writeHead(303, { ...(SECURITY_HEADERS as Record<string, string>), location: `${url.pathname}${url.search}`, 'set-cookie': security.sessionCookie(), 'cache-control': 'no-store' });
      response.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) return handleApi(GUICHET_METHODS, multiplexer, url.pathname.slice('/api/'.length), request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, { message: 'Méthode HTTP non autorisée.' }, { allow: 'GET, HEAD' });
    const file = await files.get(url.pathname);
    if (!file) return answer(response, 404, { message: 'Page introuvable.' });
    response.writeHead(200, { ...(SECURITY_HEADERS as Record<string, string>), 'content-type': file.type, 'cache-control': file.cacheControl, 'content-length': file.body.length });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.onInternalError?.('http', error);
      if (!response.headersSent) answer(response, 500, { message: 'Erreur interne de Guichet.' });
      else response.destroy();
    });
  });
  // Streams (engine status, a long draft) stay open as long as the page: no socket timeout.
  server.requestTimeout = 0;
  server.timeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  security.listeningOn(port);

  let closing: Promise<void> | undefined;
  return {
    url: security.launchUrl(),
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // Every request is aborted; open streams end with their partial result, for a moment; then what is left is cut.
        rpc.dispose();
        await multiplexer.drained(2000);
        multiplexer.close('serveur arrêté');
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
