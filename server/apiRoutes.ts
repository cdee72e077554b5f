import type { IncomingMessage, ServerResponse } from 'node:http';
import { CANCEL_ROUTE, REQUEST_ID_HEADER } from '../assistant/contract/httpTransport.js';
import { isMethodOf, type MethodTable } from '../assistant/contract/method.js';
import type { SerializedError } from '../assistant/contract/protocol.js';
import type { RequestMultiplexer } from '../assistant/host/requestMultiplexer.js';
import { SECURITY_HEADERS } from './shellSecurity.js';

/** Largest request body accepted, bytes: a replies library import (20 million characters) fits. */
export const MAX_BODY_BYTES = 64 * 2 ** 20;

/**
 * `POST /api/<method>` for every method of the table, and `POST /api/cancel`. A call answers one contract message as
 * JSON (its `result`, or its `error` with a 4xx/5xx status); a stream answers NDJSON at once — its events, then its
 * result or error, one message per line — so that the client can read them as they come. Both carry the request's
 * server id in the `x-guichet-requete` header; `POST /api/cancel {"id": n}` stops it, and so does a client that hangs
 * up before the end.
 */
export async function handleApi(table: MethodTable, multiplexer: RequestMultiplexer, route: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST') return answer(response, 405, { message: 'Méthode HTTP non autorisée : utilisez POST.' }, { allow: 'POST' });
  const body = await readBody(request);
  if (body === 'too-large') return answer(response, 413, { message: 'Demande trop volumineuse.' }, { connection: 'close' });
  let params: unknown;
  try {
    params = body.length === 0 ? undefined : (JSON.parse(body) ?? undefined);
  } catch {
    return answer(response, 400, { message: 'Corps de la demande illisible (JSON attendu).' });
  }
  if (route === CANCEL_ROUTE) {
    const id = (params as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'number') return answer(response, 400, { message: 'Identifiant de demande attendu : {"id": n}.' });
    return answer(response, multiplexer.cancel(id) ? 202 : 404, { cancelled: true });
  }
  if (!isMethodOf(table, route)) return answer(response, 404, { message: `Méthode inconnue : ${route}.` });
  const streaming = table[route]!.stream;
  let finished = false;
  const id = multiplexer.request(route, params, {
    write(message) {
      if (streaming) {
        response.write(`${JSON.stringify(message)}\n`);
        if (message.kind === 'result' || message.kind === 'error') response.end();
      } else if (message.kind === 'result' || message.kind === 'error') {
        response.writeHead(message.kind === 'result' ? 200 : statusOf(message.error), headers(id, 'application/json; charset=utf-8'));
        response.end(JSON.stringify(message));
      }
      if (message.kind === 'result' || message.kind === 'error') finished = true;
    },
  });
  if (streaming) {
    response.writeHead(200, headers(id, 'application/x-ndjson; charset=utf-8'));
    response.flushHeaders();
  }
  // A client that hangs up (closed tab, reload, aborted fetch) no longer wants the answer.
  response.on('close', () => {
    if (!finished) multiplexer.cancel(id);
  });
}

function headers(id: number, type: string): Record<string, string | number> {
  return { ...(SECURITY_HEADERS as Record<string, string>), 'content-type': type, 'cache-control': 'no-store', [REQUEST_ID_HEADER]: id };
}

/** The HTTP status of a contract error, for tools that read statuses (the browser client reads the message). */
function statusOf(error: SerializedError): number {
  if (error.name === 'RpcError') return error.code === 'invalid-params' ? 400 : error.code === 'unknown-method' ? 404 : 500;
  if (error.name === 'AbortError') return 409;
  return 422;
}

/** Answers a shell-level message (not a contract message) as JSON. */
export function answer(response: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...(SECURITY_HEADERS as Record<string, string>), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...extra });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

