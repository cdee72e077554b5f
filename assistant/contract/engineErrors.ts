import { CorpusError, type CorpusErrorCode } from '../../corpus/corpusError.js';
import { ModelError, type ModelErrorCode } from '../../native-models/modelError.js';
import { RemoteModelError, type RemoteModelErrorCode } from '../../remote-models/remoteModelError.js';
import { AssistantError, type AssistantErrorCode } from '../assistantError.js';
import { DownloadError, type DownloadErrorCode } from '../download/downloadError.js';
import { HistoryError, type HistoryErrorCode } from '../history/historyError.js';
import { ReplyError, type ReplyErrorCode } from '../replies/replyError.js';
import { SettingsError, type SettingsErrorCode } from '../settings/settingsError.js';
import { causeOf, ErrorRegistry } from './errorRegistry.js';

/**
 * Guichet's transferable errors: the one registry the engine serialises with and every client (host, CLI, browser)
 * revives with. An error class not listed here crosses as « Erreur interne du moteur », its text kept as the cause.
 */
export const ENGINE_ERRORS = new ErrorRegistry()
  .register('ModelError', ModelError, (d) => new ModelError(d.code as ModelErrorCode, d.message, causeOf(d)))
  .register('RemoteModelError', RemoteModelError, (d) => new RemoteModelError(d.code as RemoteModelErrorCode, d.message, causeOf(d)))
  .register('CorpusError', CorpusError, (d) => new CorpusError(d.code as CorpusErrorCode, d.message, causeOf(d)))
  .register('AssistantError', AssistantError, (d) => new AssistantError(d.code as AssistantErrorCode, d.message, causeOf(d)))
  .register('HistoryError', HistoryError, (d) => new HistoryError(d.code as HistoryErrorCode, d.message, causeOf(d)))
  .register('ReplyError', ReplyError, (d) => new ReplyError(d.code as ReplyErrorCode, d.message, causeOf(d)))
  .register('SettingsError', SettingsError, (d) => new SettingsError(d.code as SettingsErrorCode, d.message, causeOf(d)))
  .register('DownloadError', DownloadError, (d) => new DownloadError(d.code as DownloadErrorCode, d.message, { url: d.url ?? '', file: d.file ?? '', ...(d.cause !== undefined ? { cause: d.cause } : {}) }));
