/**
 * `AssistantApi`: the one contract between Guichet's engine and its shells (the `guichet` CLI and web shell over a
 * child process or HTTP on 127.0.0.1, the desktop app over Electron IPC). Every method is a request with a result,
 * and some stream typed events before their result; every call can be cancelled with an `AbortSignal`, which aborts
 * the engine's work for that request. Arguments are validated in the engine. Results, events and errors are plain
 * serialisable data; expected errors (`CorpusError`, `ModelError`, `AssistantError`, `HistoryError`, `ReplyError`)
 * keep their class, `code` and French message across the transport, and a stream that fails ends with that error.
 *
 * Methods, by group:
 * - questions: `ask` (events `status`, `sources`, `reading`, `token`, `citations`, `related`, `links`, `done`),
 *   `question.prepare` (the question being typed: events `fiches`, `reading`; reads the extracts ahead), `search`, `fiche.get`;
 * - Services Publics+: `reply.draft` (events `status`, `token`), `replies.list|add|update|delete|export|import`;
 * - history and feedback: `conversations.list|get|delete|export`, `feedback.record|stats`;
 * - models: `models.list`, `models.load` (events `progress`, `measuring`), `models.unload`, `models.status`, `generate`, `hardware.info`;
 * - corpus: `corpus.info`, `corpus.import` and `corpus.pack` (events `progress`);
 * - shared model server: `remote.status`, `remote.models`, `remote.setApiKey`, `remote.clearApiKey`, `remote.useLocalModel` (this PC's model for the session);
 * - settings and health: `settings.get` (values, keys locked by machine policy, warnings), `settings.set`, `health`,
 *   `engine.stats`, `engine.ping`.
 *
 * The renderer imports this module's types only (`import type`), never its implementation.
 */
import type { EngineContract } from './contract/engineContract.js';

export type AssistantApi = EngineContract;
export type AssistantMethod = keyof AssistantApi;

export type {
  AnswerSource,
  AskAnswer,
  AskEvent,
  AskRequest,
  AskStats,
  Citation,
  PracticalLink,
  RelatedQuestionLink,
  SourcePassage,
} from './ask/askTypes.js';
export type { AskPreparation, PrepareEvent, PreparedFiche, ReadingState } from './ask/readAheadTypes.js';
export type { FeedbackEntry, FeedbackStats, FeedbackVerdict } from './feedback/feedbackStats.js';
export type { FeedbackInput } from './feedback/feedbackStore.js';
export type { Conversation, ConversationSummary, MessageSource, StoredMessage } from './history/conversationTypes.js';
export type { CorpusInfo } from './knowledge/knowledgeBase.js';
export type { Audience, CorpusManifest, Fiche, ImportReport, OnlineService, SearchHit, SearchRequest, SearchResult } from './knowledge/knowledgeTypes.js';
export type { ModelListing } from './models/modelLibrary.js';
export type { ReplyEntry, NewReplyEntry, ReplyEntryPatch, ReplyImportReport } from './replies/replyLibrary.js';
export type { ReplyTone } from './replies/replyEntry.js';
export type { HardwareInfo } from '../native-models/hardware.js';
export type { AnswerWarning } from './ask/askTypes.js';
export type { EngineStatusEvent, EngineState } from './contract/methods/hostMethods.js';
export type { ProgressEvent } from './contract/methods/common.js';
export type { ReplyDraftEvent } from './contract/methods/repliesMethods.js';
export type { Api } from './contract/buildApi.js';
export type { GuichetMethods } from './contract/engineMethods.js';
export type { RemoteModels, RemoteStatus } from './contract/methods/remoteMethods.js';
export type { ReplyDraft, ReplyRequest } from './replies/replyService.js';
export type { SettingKey, Settings } from './settings/settingsSchema.js';
export type { ResolvedSettings } from './settings/settingsStore.js';
export type { Health } from './engine/platformModule.js';
export type { SerializedError } from './contract/protocol.js';
export type { DeviceChoice, DeviceMeasurement } from '../native-models/deviceProbe.js';
export type { ComputeDevice, GenerationStats, LoadedModel, RuntimeStatus } from '../native-models/modelRuntime.js';
