import { isRpcMessage, type RpcId, type RpcMessage, type SerializedError } from './protocol.js';
import { type Transport, TransportListeners } from './transport.js';

/**
 * The HTTP protocol of `guichet serve`, seen from the client. Every request message becomes `POST /api/<method>`
 * with the parameters as its JSON body (`null` for none). The response carries the server's id of the request in the
 * {@link REQUEST_ID_HEADER} header. A plain call answers one contract message as JSON (`result`, or `error` with a
 * 4xx/5xx status); a stream answers NDJSON at once: one contract message per line (`event`s, then one `result` or
 * `error`), tagged with that id. A cancel message becomes `POST /api/cancel` with `{"id": <server id>}` (a stream
 * then ends with its partial result); a plain call's cancel drops its connection. Browser-safe: `fetch` only.
 */
export const REQUEST_ID_HEADER = 'x-guichet-requete';
/** The path of the cancel route, under the API prefix. */
export const CANCEL_ROUTE = 'cancel';

/** Options of {@link httpTransport}. */
export interface HttpTransportOptions {
  /** Where the API lives, ending with `/`. Default `/api/` (same origin). */
  baseUrl?: string;
  /** The `fetch` to use. Default: the global one. */
  fetch?: typeof fetch;
  /** Names of the streaming methods (`streamingMethods(table)`): their cancel waits for the server's partial result. */
  streams: readonly string[];
}

interface Exchange {
  /** The server's id, once the response headers arrived. */
  serverId?: RpcId;
  cancelled: boolean;
  stream: boolean;
  /** Drops a plain call's connection: the server cancels a request whose client hung up. */
  hangUp: AbortController;
}

/** A {@link Transport} over `fetch` to the web shell; give it to `RpcClient`, then `buildApi`. */
export function httpTransport(options: HttpTransportOptions): Transport {
  const base = options.baseUrl ?? '/api/';
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const listeners = new TransportListeners();
  const exchanges = new Map<RpcId, Exchange>();
  const closing = new AbortController();
  const streams = new Set(options.streams);

  const deliver = (message: RpcMessage): void => {
    if (message.kind === 'result' || message.kind === 'error') exchanges.delete(message.id);
    listeners.deliver(message);
  };
  const fail = (id: RpcId, error: SerializedError): void => deliver({ kind: 'error', id, error });

  const sendCancel = (serverId: RpcId): void => {
    void doFetch(`${base}${CANCEL_ROUTE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: serverId }), credentials: 'same-origin' }).catch(() => {
      // The shell is gone: the request's own response fails and says so.
    });
  };

  const run = async (id: RpcId, method: string, params: unknown): Promise<void> => {
    const exchange: Exchange = { cancelled: false, stream: streams.has(method), hangUp: new AbortController() };
    exchanges.set(id, exchange);
    let response: Response;
    try {
      response = await doFetch(`${base}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/x-ndjson, application/json' },
        body: JSON.stringify(params ?? null),
        credentials: 'same-origin',
        signal: AbortSignal.any([closing.signal, exchange.hangUp.signal]),
      });
    } catch (error) {
      if (exchanges.has(id)) fail(id, shellGone(error));
      return;
    }
    const serverId = Number(response.headers.get(REQUEST_ID_HEADER));
    if (Number.isInteger(serverId) && serverId > 0) {
      exchange.serverId = serverId;
      if (exchange.cancelled) sendCancel(serverId);
    }
    const type = response.headers.get('content-type') ?? '';
    try {
      if (type.includes('ndjson') && response.body) {
        for await (const line of ndjsonLines(response.body)) {
          if (receive(id, line)) return;
        }
        if (exchanges.has(id)) fail(id, shellGone('réponse interrompue'));
      } else if (type.includes('json') && response.headers.has(REQUEST_ID_HEADER)) {
        if (!receive(id, await response.text())) fail(id, shellGone('réponse illisible'));
      } else fail(id, await refusal(response));
    } catch (error) {
      if (exchanges.has(id)) fail(id, shellGone(error));
    }
  };

  /** Delivers one message of a response under the client's id; `true` when it was the last one. */
  const receive = (id: RpcId, text: string): boolean => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return false;
    }
    if (!isRpcMessage(parsed) || parsed.kind === 'request' || parsed.kind === 'cancel') return false;
    deliver({ ...parsed, id });
    return parsed.kind === 'result' || parsed.kind === 'error';
  };

  return {
    send(message) {
      if (listeners.closed) return;
      if (message.kind === 'request') {
        void run(message.id, message.method, message.params);
        return;
      }
      if (message.kind !== 'cancel') return;
      const exchange = exchanges.get(message.id);
      if (!exchange || exchange.cancelled) return;
      exchange.cancelled = true;
      if (!exchange.stream) {
        exchanges.delete(message.id);
        exchange.hangUp.abort();
      } else if (exchange.serverId !== undefined) sendCancel(exchange.serverId);
    },
    onMessage: (listener) => listeners.onMessage(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      if (listeners.closed) return;
      closing.abort();
      exchanges.clear();
      listeners.close('fermé');
    },
  };
}

/** Splits a byte stream into its non-empty lines, as UTF-8 text. */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) yield line;
        newline = buffer.indexOf('\n');
      }
    }
    const rest = (buffer + decoder.decode()).trim();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

function shellGone(cause: unknown): SerializedError {
  return {
    name: 'RpcError',
    code: 'transport-closed',
    message: 'Guichet ne répond plus : relancez « npx guichet » puis rechargez la page.',
    cause: cause instanceof Error ? cause.message : String(cause),
  };
}

/** A response that is not a contract answer: the shell refused the request (expired session, foreign origin). */
async function refusal(response: Response): Promise<SerializedError> {
  const text = await response.text().catch(() => '');
  const message =
    response.status === 401
      ? 'La session de Guichet a expiré : ouvrez de nouveau l’adresse affichée par « npx guichet ».'
      : response.status === 403
        ? 'Demande refusée : cette page n’est pas celle de Guichet.'
        : `Guichet a refusé la demande (HTTP ${response.status}).`;
  return { name: 'RpcError', code: 'transport-closed', message, cause: `HTTP ${response.status} ${text.slice(0, 500)}` };
}
