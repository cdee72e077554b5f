/**
 * The network guard of the test run, in every Node process of it: the vitest workers (through
 * test/support/noNetwork.ts) and every process they start — forked engines, `guichet` CLI children, helper scripts —
 * through `NODE_OPTIONS=--import=<this file>`, which vitest.config.ts puts in the tests' environment.
 *
 * Any TCP connection (net, http, https, tls, fetch) to an address that is not loopback fails at once, before any
 * name lookup or packet, as a refused connection does (an 'error' event on the socket) but with the French error
 * below; the refusal is also written to the process's stderr so that a
 * refusal deep inside a child (wrapped by fetch, carried over RPC) can still be seen. Plain JavaScript: it must load
 * before any TypeScript loader.
 */
import net from 'node:net';

/** The start of the guard's error message. */
export const NETWORK_FORBIDDEN = 'Connexion réseau interdite pendant les tests';
/** The `code` of the guard's error. */
export const NETWORK_FORBIDDEN_CODE = 'ERR_GUICHET_TEST_NETWORK';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|\[::1\])$/i;
const marker = Symbol.for('guichet.noNetwork');

/** The host and port a `socket.connect(...)` call aims at; a Unix socket or Windows pipe counts as loopback. */
function target(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    // node:http passes `path: null` (the URL's, not a socket's): only a non-empty path is a local socket, as for net.
    if (first.path) return { host: 'localhost' };
    return { host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
  }
  return { host: 'localhost' }; // a path
}

if (!globalThis[marker]) {
  globalThis[marker] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const { host, port } = target(args);
    if (!LOOPBACK.test(String(host))) {
      const where = port === undefined ? String(host) : `${host}:${port}`;
      const error = new Error(`${NETWORK_FORBIDDEN} : ${where} (processus ${process.pid}).`);
      error.code = NETWORK_FORBIDDEN_CODE;
      process.stderr.write(`[garde réseau des tests] ${error.message}\n`);
      // As a refused connection fails: an 'error' event on the socket, so callers take their usual error path.
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  };
}
