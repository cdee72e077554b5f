import { call, stream } from '../method.js';
import { noParams } from './common.js';

/** Life of the engine process, as a UI shows it. */
export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

/** One change of the engine's state; `message` is French, for the agent, when something went wrong. */
export type EngineStatusEvent = { type: 'engine.status'; state: EngineState; message?: string; pid?: number; recentCrashes: number };

/**
 * Methods the host serves itself, since the engine cannot report its own death: the engine's state (the current one
 * at once, then each change, until cancelled) and a restart.
 */
export const HOST_METHODS = {
  'engine.status': stream(noParams).returns<null, EngineStatusEvent>(),
  'engine.restart': call(noParams).returns<null>(),
};
