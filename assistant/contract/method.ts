import type { z } from 'zod';
import type { RpcMethod } from './protocol.js';

/**
 * One method of a contract, as data: the zod schema of its parameters (validated by the server, which receives raw
 * data from a transport), whether it streams events before its result, and — as types only — its result and events.
 * Tables of these are the contract: types, the client object, HTTP routes and the preload's whitelist derive from them.
 */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R = unknown, E = unknown> {
  readonly params: P;
  /** `true`: the method sends events before its result, and a cancel ends it with what it had. */
  readonly stream: boolean;
  /** Types only, never set: what the method returns and emits. */
  readonly types?: { readonly result: R; readonly event: E };
}

/** Method name → spec. Names are `group.verb` or a single word; one level of groups. */
export type MethodTable = Record<string, MethodSpec<z.ZodType, unknown, unknown>>;

/** A plain call: `call(schema).returns<Result>()`. */
export function call<P extends z.ZodType>(params: P): { returns<R>(): MethodSpec<P, R, never> } {
  return { returns: () => ({ params, stream: false }) };
}

/** A stream: `stream(schema).returns<Result, Event>()`. */
export function stream<P extends z.ZodType>(params: P): { returns<R, E>(): MethodSpec<P, R, E> } {
  return { returns: () => ({ params, stream: true }) };
}

/** What a caller passes (before the schema's defaults and transforms). */
export type ParamsIn<S> = S extends MethodSpec<infer P, unknown, unknown> ? z.input<P> : never;
/** What a handler receives (after validation). */
export type ParamsOut<S> = S extends MethodSpec<infer P, unknown, unknown> ? z.output<P> : never;
export type ResultOf<S> = S extends MethodSpec<z.ZodType, infer R, unknown> ? R : never;
export type EventOf<S> = S extends MethodSpec<z.ZodType, unknown, infer E> ? E : never;

/** The type-level contract of a table, as the generic client and the engine host use it. */
export type ContractOf<T extends MethodTable> = { [M in keyof T & string]: RpcMethod<ParamsIn<T[M]>, ResultOf<T[M]>, EventOf<T[M]>> };

/** Names of the table's streaming methods, at run time: the preload's and the HTTP shell's stream routes. */
export function streamingMethods(table: MethodTable): string[] {
  return Object.entries(table)
    .filter(([, spec]) => spec.stream)
    .map(([name]) => name);
}

/** Whether a name is a method of the table (own property only: `toString` is not a method). */
export function isMethodOf<T extends MethodTable>(table: T, name: string): name is keyof T & string {
  return Object.hasOwn(table, name);
}
