/**
 * Production entry. The shell gives the client: the desktop preload exposes `window.guichet.client`; served by
 * `guichet serve`, the page builds the contract's own client over HTTP (same origin, session cookie). Anything else
 * (the file opened from disk) gets a client that answers every call with a French error.
 */
import { buildApi } from '../../assistant/contract/buildApi.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import type { GuichetContract } from '../../assistant/contract/engineContract.js';
import { httpTransport } from '../../assistant/contract/httpTransport.js';
import { streamingMethods } from '../../assistant/contract/method.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import type { GuichetClient } from './lib/api/client.js';
import { unavailableClient } from './lib/api/unavailableClient.js';
import { mountGuichet } from './boot.js';

function httpClient(): GuichetClient {
  const transport = httpTransport({ baseUrl: new URL('api/', location.href).pathname, streams: streamingMethods(GUICHET_METHODS) });
  return buildApi(GUICHET_METHODS, new RpcClient<GuichetContract>(transport, { errors: ENGINE_ERRORS }));
}

const shell = (globalThis as { guichet?: { client?: GuichetClient } }).guichet;
const served = location.protocol === 'http:' && (location.hostname === '127.0.0.1' || location.hostname === 'localhost');
mountGuichet(document.getElementById('app')!, shell?.client ?? (served ? httpClient() : unavailableClient()));
