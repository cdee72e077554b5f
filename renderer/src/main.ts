/**
 * Production entry. The shell gives the client: the desktop preload exposes `window.guichet.client`; `guichet serve`
 * will serve issue 9's HTTP client here. Until then, a client that answers every call with a French error.
 */
import type { GuichetClient } from './lib/api/client.js';
import { unavailableClient } from './lib/api/unavailableClient.js';
import { mountGuichet } from './boot.js';

const shell = (globalThis as { guichet?: { client?: GuichetClient } }).guichet;
mountGuichet(document.getElementById('app')!, shell?.client ?? unavailableClient());
