import type { RpcContract } from '../contract/protocol.js';
import { type RpcHandlers, RpcServer } from '../contract/rpcServer.js';
import type { Transport } from '../contract/transport.js';
import type { EngineModule } from '../contract/engineContract.js';

/** The engine's server: the modules' handlers merged, served over one transport, disposed together. */
export interface EngineServer {
  readonly rpc: RpcServer<RpcContract>;
  /** Stops serving and releases every module (the model's memory included). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Serves engine modules over a transport. A method defined by two modules is a programming error, thrown at once.
 */
export function serveEngine(transport: Transport, modules: readonly EngineModule<RpcContract>[], onInternalError?: (method: string, error: unknown) => void): EngineServer {
  const handlers: RpcHandlers<RpcContract> = {};
  for (const module of modules) {
    for (const [method, handler] of Object.entries(module.handlers)) {
      if (Object.hasOwn(handlers, method)) throw new Error(`Méthode du moteur définie deux fois : ${method}`);
      handlers[method] = handler;
    }
  }
  const rpc = new RpcServer<RpcContract>(transport, handlers, onInternalError ? { onInternalError } : {});
  let disposing: Promise<void> | undefined;
  return {
    rpc,
    dispose() {
      disposing ??= (async () => {
        rpc.dispose();
        await Promise.allSettled(modules.map((module) => module.dispose?.()));
      })();
      return disposing;
    },
  };
}
