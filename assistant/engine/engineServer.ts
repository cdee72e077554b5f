import { ENGINE_ERRORS } from '../contract/engineErrors.js';
import type { AnyEngineModule } from '../contract/engineContract.js';
import { ENGINE_METHODS, type EngineMethods } from '../contract/engineMethods.js';
import { type Handlers, RpcServer } from '../contract/rpcServer.js';
import type { Transport } from '../contract/transport.js';

/** The engine's server: the modules' handlers merged, served over one transport, disposed together. */
export interface EngineServer {
  readonly rpc: RpcServer<EngineMethods>;
  /** Stops serving and releases every module (the model's memory included). Safe to call twice. */
  dispose(): Promise<void>;
}

/** Merges the modules' handlers; a method defined twice, or one of the table left without a handler, is a bug. */
export function engineHandlers(modules: readonly AnyEngineModule[]): Handlers<EngineMethods> {
  const handlers: Record<string, unknown> = {};
  for (const module of modules) {
    for (const [method, handler] of Object.entries(module.handlers)) {
      if (Object.hasOwn(handlers, method)) throw new Error(`Méthode du moteur définie deux fois : ${method}`);
      handlers[method] = handler;
    }
  }
  const missing = Object.keys(ENGINE_METHODS).filter((method) => !Object.hasOwn(handlers, method));
  if (missing.length > 0) throw new Error(`Méthodes du moteur sans implémentation : ${missing.join(', ')}`);
  return handlers as Handlers<EngineMethods>;
}

/** Serves the engine's modules over a transport. */
export function serveEngine(transport: Transport, modules: readonly AnyEngineModule[], onInternalError?: (method: string, error: unknown) => void): EngineServer {
  const rpc = new RpcServer(transport, ENGINE_METHODS, engineHandlers(modules), { errors: ENGINE_ERRORS, ...(onInternalError ? { onInternalError } : {}) });
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
