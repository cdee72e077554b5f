/**
 * Every test runs offline: any outbound connection that is not loopback fails at once, so that code which would
 * reach the network at run time is caught here rather than on an agent's PC.
 */
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
const marker = Symbol.for('guichet.noNetwork');
const globals = globalThis as { [marker]?: boolean };

if (!globals[marker]) {
  globals[marker] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string; path?: string; port?: number } | number | string;
    const host =
      typeof options === 'object' && options !== null
        ? options.path !== undefined
          ? 'localhost'
          : (options.host ?? 'localhost')
        : typeof options === 'number'
          ? typeof args[1] === 'string' ? args[1] : 'localhost'
          : 'localhost';
    if (!LOOPBACK.test(host)) {
      throw new Error(`Connexion réseau interdite pendant les tests : ${host}`);
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}
