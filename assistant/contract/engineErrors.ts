import { CorpusError, type CorpusErrorCode } from '../../corpus/corpusError.js';
import { ModelError, type ModelErrorCode } from '../../native-models/modelError.js';
import { AssistantError, type AssistantErrorCode } from '../assistantError.js';
import { HistoryError, type HistoryErrorCode } from '../history/historyError.js';
import { ReplyError, type ReplyErrorCode } from '../replies/replyError.js';
import type { SerializedError } from './protocol.js';
import { SettingsError } from '../settings/settingsStore.js';

type Options = { cause?: unknown; file?: string };

/** The engine's expected error classes, by name: rebuilt as themselves on the client side. */
const REVIVERS: Record<string, (code: string, message: string, options: Options) => Error> = {
  ModelError: (code, message, options) => new ModelError(code as ModelErrorCode, message, options),
  CorpusError: (code, message, options) => new CorpusError(code as CorpusErrorCode, message, options),
  AssistantError: (code, message, options) => new AssistantError(code as AssistantErrorCode, message, options),
  HistoryError: (code, message, options) => new HistoryError(code as HistoryErrorCode, message, options),
  ReplyError: (code, message, options) => new ReplyError(code as ReplyErrorCode, message, options),
  SettingsError: (code, message, options) => new SettingsError(code as SettingsError['code'], message, options),
};

/** Rebuilds the engine's expected errors as their own classes on the client side. */
export function reviveEngineError(data: SerializedError): Error | undefined {
  const revive = REVIVERS[data.name];
  if (!revive) return undefined;
  return revive(data.code, data.message, {
    ...(data.file !== undefined ? { file: data.file } : {}),
    ...(data.cause !== undefined ? { cause: data.cause } : {}),
  });
}
