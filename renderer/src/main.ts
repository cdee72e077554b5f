/**
 * Production entry. The shell gives the transport, the page builds the one client of the contract over it: the
 * desktop preload exposes `window.guichetBridge` (contextBridge: invoke, subscribe, cancel); served by `guichet serve`,
 * HTTP to the same origin (session cookie). The app below gets the same client either way. Anything else (the file
 * opened from disk) gets a client that answers every call with a French error.
 */
import { buildApi } from '../../assistant/contract/buildApi.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import type { GuichetContract } from '../../assistant/contract/engineContract.js';
import { httpTransport } from '../../assistant/contract/httpTransport.js';
import { BRIDGE_GLOBAL, bridgeTransport, type ContractBridge } from '../../assistant/contract/bridgeTransport.js';
import type { Transport } from '../../assistant/contract/transport.js';
import { streamingMethods } from '../../assistant/contract/method.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import type { GuichetClient } from './lib/api/client.js';
import { unavailableClient } from './lib/api/unavailableClient.js';
import { mountGuichet } from './boot.js';

function clientOver(transport: Transport): GuichetClient {
  return buildApi(GUICHET_METHODS, new RpcClient<GuichetContract>(transport, { errors: ENGINE_ERRORS }));
}

function shellClient(): GuichetClient {
  const streams = streamingMethods(GUICHET_METHODS);
  const bridge = (globalThis as { [BRIDGE_GLOBAL]?: ContractBridge })[BRIDGE_GLOBAL];
  if (bridge && location.protocol === 'app:') return clientOver(bridgeTransport(bridge, streams));
  const served = location.protocol === 'http:' && (location.hostname === '127.0.0.1' || location.hostname === 'localhost');
  return served ? clientOver(httpTransport({ baseUrl: new URL('api/', location.href).pathname, streams })) : unavailableClient();
}

mountGuichet(document.getElementById('app')!, shellClient());
