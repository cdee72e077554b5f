import type { CallOptions, ContractStream } from './contractStream.js';
import type { ContractOf, EventOf, MethodTable, ParamsIn, ResultOf } from './method.js';
import type { RpcContract, RpcMethodName } from './protocol.js';

/** Anything that carries a contract's calls by name: the generic client, the engine host, an HTTP client. */
export interface ContractChannel<C extends RpcContract> {
  call<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options?: CallOptions<C[M]['event']>): Promise<C[M]['result']>;
  stream<M extends RpcMethodName<C>>(method: M, params: C[M]['params'], options?: CallOptions<C[M]['event']>): ContractStream<C[M]['event'], C[M]['result']>;
}

type Head<K extends string> = K extends `${infer H}.${string}` ? H : K;
type Args<S> = undefined extends ParamsIn<S> ? [params?: ParamsIn<S>, options?: CallOptions<EventOf<S>>] : [params: ParamsIn<S>, options?: CallOptions<EventOf<S>>];
/** One method as a function: a promise for a call, a {@link ContractStream} for a stream. */
export type MethodFunction<S> = (...args: Args<S>) => [EventOf<S>] extends [never] ? Promise<ResultOf<S>> : ContractStream<EventOf<S>, ResultOf<S>>;

/** A table as a typed object: `ask` → `api.ask(…)`, `corpus.info` → `api.corpus.info()`. */
export type Api<T extends MethodTable> = {
  [H in Head<keyof T & string>]: H extends keyof T
    ? MethodFunction<T[H]>
    : { [K in keyof T & string as K extends `${H}.${infer Verb}` ? Verb : never]: MethodFunction<T[K]> };
};

/**
 * Builds the typed object of a table over a channel: never written by hand per method, so a method added to the
 * table is callable everywhere at once.
 */
export function buildApi<T extends MethodTable>(table: T, channel: ContractChannel<ContractOf<T>>): Api<T> {
  const api: Record<string, unknown> = {};
  const loose = channel as unknown as ContractChannel<RpcContract>;
  for (const [name, spec] of Object.entries(table)) {
    const invoke = (params?: unknown, options?: CallOptions) => (spec.stream ? loose.stream(name, params, options) : loose.call(name, params, options));
    const dot = name.indexOf('.');
    if (dot < 0) {
      api[name] = invoke;
      continue;
    }
    const group = name.slice(0, dot);
    const verbs = (api[group] ??= {}) as Record<string, unknown>;
    verbs[name.slice(dot + 1)] = invoke;
  }
  return api as Api<T>;
}
