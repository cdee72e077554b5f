import type { ContractChannel } from '../contract/buildApi.js';
import type { ContractOf, MethodTable } from '../contract/method.js';
import type { RpcContract } from '../contract/protocol.js';
import type { Handler, Handlers } from '../contract/rpcServer.js';

/**
 * Handlers for every method of a table that forward to a channel (the host's `guichetChannel`): a call becomes
 * `channel.call`, a stream becomes `channel.stream` whose events are emitted one by one and whose result (partial,
 * after a cancel) is returned. Generated from the table: a method added to it is served at once.
 */
export function forwardingHandlers<T extends MethodTable>(table: T, channel: ContractChannel<ContractOf<T>>): Handlers<T> {
  const loose = channel as unknown as ContractChannel<RpcContract>;
  const handlers: Record<string, Handler<unknown>> = {};
  for (const [name, spec] of Object.entries(table)) {
    handlers[name] = spec.stream
      ? async (params, { signal, emit }) => {
          const stream = loose.stream(name, params, { signal });
          for await (const event of stream) emit(event as never);
          return stream.result as never;
        }
      : async (params, { signal }) => loose.call(name, params, { signal }) as never;
  }
  return handlers as Handlers<T>;
}
