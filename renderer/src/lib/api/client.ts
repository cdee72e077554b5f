/**
 * `GuichetClient`: the one object the renderer talks to — the contract's own typed object, `Api<GuichetMethods>`,
 * built by `buildApi` from the method table over the shell's transport (HTTP for `guichet serve`, IPC for the desktop
 * app), or the tests' fake of the same type. Only `lib/services/` calls it.
 */
import type { Api, AskAnswer, GuichetMethods } from '../../../../assistant/api.js';

export type GuichetClient = Api<GuichetMethods>;

export type { CallOptions, ContractStream } from '../../../../assistant/contract/contractStream.js';
export type {
  AnswerWarning,
  EngineState,
  EngineStatusEvent,
  ProgressEvent as ImportProgressEvent,
  ReplyDraftEvent as ReplyEvent,
} from '../../../../assistant/api.js';

/** What `ask` returns: the answer, or after « Arrêter » the partial one (its text, citations and sources). */
export type AskResult = AskAnswer;

/** What a rejected call carries: a serialised expected error. */
export interface ContractError {
  name: string;
  code: string;
  message: string;
}

/** The French message to show for anything a call rejected with. */
export function errorMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string' && error.message !== '') {
    return error.message;
  }
  return 'Une erreur inattendue est survenue. Réessayez ; si elle persiste, redémarrez Guichet.';
}

/** True for the error a cancelled call rejects with (not worth showing). */
export function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'AbortError';
}
