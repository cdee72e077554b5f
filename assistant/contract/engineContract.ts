import type { EngineMethods } from './engineMethods.js';
import type { Handlers } from './rpcServer.js';

/**
 * A pluggable group of engine methods: its handlers and what to release at exit. The engine's entry merges the
 * groups it is given; a new group is one more module, nothing else changes.
 */
export interface EngineModule<M extends keyof EngineMethods = keyof EngineMethods> {
  readonly handlers: Pick<Handlers<EngineMethods>, M>;
  dispose?(): Promise<void>;
}

/** A module of any group, as the engine's entry collects them. */
export interface AnyEngineModule {
  readonly handlers: Partial<Handlers<EngineMethods>>;
  dispose?(): Promise<void>;
}

export type { EngineContract, EngineMethods, GuichetContract, GuichetMethods } from './engineMethods.js';
export type { EngineStats, GenerationEvent, LoadEvent } from './methods/runtimeMethods.js';
