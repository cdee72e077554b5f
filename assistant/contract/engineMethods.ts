import type { ContractOf } from './method.js';
import { ASSISTANT_METHODS } from './methods/assistantMethods.js';
import { EVAL_METHODS } from './methods/evalMethods.js';
import { HOST_METHODS } from './methods/hostMethods.js';
import { KNOWLEDGE_METHODS } from './methods/knowledgeMethods.js';
import { PLATFORM_METHODS } from './methods/platformMethods.js';
import { REMOTE_METHODS } from './methods/remoteMethods.js';
import { REPLIES_METHODS } from './methods/repliesMethods.js';
import { RUNTIME_METHODS } from './methods/runtimeMethods.js';

/** Everything the engine process serves. */
export const ENGINE_METHODS = {
  ...RUNTIME_METHODS,
  ...KNOWLEDGE_METHODS,
  ...ASSISTANT_METHODS,
  ...REPLIES_METHODS,
  ...PLATFORM_METHODS,
  ...REMOTE_METHODS,
  ...EVAL_METHODS,
};

/** The one contract every shell carries: the engine's methods and the host's own (`engine.status`, `engine.restart`). */
export const GUICHET_METHODS = { ...ENGINE_METHODS, ...HOST_METHODS };

export type EngineMethods = typeof ENGINE_METHODS;
export type GuichetMethods = typeof GUICHET_METHODS;
export type EngineContract = ContractOf<EngineMethods>;
export type GuichetContract = ContractOf<GuichetMethods>;
