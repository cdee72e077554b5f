import type { HardwareInfo } from '../../native-models/hardware.js';
import type {
  ComputeDevice,
  GenerateRequest,
  GenerationResult,
  GenerationStats,
  LoadedModel,
  LoadModelOptions,
  RuntimeStatus,
  StopReason,
} from '../../native-models/modelRuntime.js';
import type { RpcContract, RpcMethod } from './protocol.js';
import type { AskAnswer, AskEvent, AskRequest } from '../ask/askTypes.js';
import type { FeedbackEntry, FeedbackStats } from '../feedback/feedbackStats.js';
import type { FeedbackInput } from '../feedback/feedbackStore.js';
import type { Conversation, ConversationSummary } from '../history/conversationTypes.js';
import type { CorpusInfo } from '../knowledge/knowledgeBase.js';
import type { NewReplyEntry, ReplyEntry, ReplyEntryPatch, ReplyImportReport } from '../replies/replyLibrary.js';
import type { ReplyDraft, ReplyRequest } from '../replies/replyService.js';
import type { Audience, Fiche, ImportReport, SearchRequest, SearchResult } from '../knowledge/knowledgeTypes.js';
import type { ModelListing } from '../models/modelLibrary.js';
import type { ResolvedSettings } from '../settings/settingsStore.js';
import type { Health } from '../engine/platformModule.js';
import type { RpcHandlers } from './rpcServer.js';

/** Parameters of methods that take none. */
export type NoParams = Record<string, never> | undefined;

/** Events of `models.load`. */
export type LoadEvent = { type: 'progress'; fraction: number } | { type: 'measuring'; device: ComputeDevice };

/** Events of `generate`: text as it comes, then one `done` that says why it stopped. */
export type GenerationEvent =
  | { type: 'token'; text: string }
  | { type: 'done'; reason: StopReason; text: string; stats: GenerationStats };

/** The model runtime's methods, served by the engine process. */
export type RuntimeContract = {
  'models.load': RpcMethod<LoadModelOptions, LoadedModel, LoadEvent>;
  'models.unload': RpcMethod<NoParams, null>;
  'models.status': RpcMethod<NoParams, RuntimeStatus>;
  generate: RpcMethod<GenerateRequest, GenerationResult, GenerationEvent>;
  'hardware.info': RpcMethod<NoParams, HardwareInfo>;
};

/** The engine process's own figures. */
export interface EngineStats {
  pid: number;
  /** Resident set size, bytes: the engine's whole memory, llama.cpp's included. */
  rssBytes: number;
  heapUsedBytes: number;
  uptimeMs: number;
}

/** Methods about the engine process itself. */
export type SystemContract = {
  'engine.stats': RpcMethod<NoParams, EngineStats>;
  'engine.ping': RpcMethod<NoParams, 'pong'>;
};

/** The knowledge base: search, the offline reader, the corpus panel. */
export type KnowledgeContract = {
  'corpus.info': RpcMethod<NoParams, CorpusInfo | null>;
  search: RpcMethod<Omit<SearchRequest, 'signal'>, SearchResult>;
  'fiche.get': RpcMethod<{ id: string; audience?: Audience }, Fiche>;
};

/** The agent's use cases: questions, conversations, feedback. */
export type AssistantContract = {
  ask: RpcMethod<AskRequest, AskAnswer, AskEvent>;
  'conversations.list': RpcMethod<{ limit?: number; offset?: number } | undefined, { total: number; conversations: ConversationSummary[] }>;
  'conversations.get': RpcMethod<{ id: string }, Conversation>;
  'conversations.delete': RpcMethod<{ id: string }, null>;
  'conversations.export': RpcMethod<{ id: string; format: 'markdown' | 'json' }, string>;
  'feedback.record': RpcMethod<FeedbackInput, FeedbackEntry>;
  'feedback.stats': RpcMethod<{ since?: string } | undefined, FeedbackStats>;
};

/** Services Publics+: reply drafting and the library of validated replies. */
export type RepliesContract = {
  'reply.draft': RpcMethod<ReplyRequest & { useModel?: boolean; modelPath?: string }, ReplyDraft, { type: 'status'; message: string } | { type: 'token'; text: string }>;
  'replies.list': RpcMethod<{ institution?: string; query?: string } | undefined, ReplyEntry[]>;
  'replies.add': RpcMethod<NewReplyEntry, ReplyEntry>;
  'replies.update': RpcMethod<{ id: string; patch: ReplyEntryPatch }, ReplyEntry>;
  'replies.delete': RpcMethod<{ id: string }, null>;
  'replies.export': RpcMethod<NoParams, string>;
  'replies.import': RpcMethod<{ json: string; mode: 'merge' | 'replace' }, ReplyImportReport>;
};

/** Settings (with what machine policy locks), health, the models list, corpus imports with progress. */
export type PlatformContract = {
  'settings.get': RpcMethod<NoParams, ResolvedSettings>;
  'settings.set': RpcMethod<{ key: string; value: unknown }, ResolvedSettings>;
  health: RpcMethod<NoParams, Health>;
  'models.list': RpcMethod<NoParams, ModelListing>;
  'corpus.import': RpcMethod<{ from: string; audience?: Audience }, ImportReport, { type: 'progress'; label: string; done: number; total: number }>;
};

/** Everything the engine serves: the one contract both shells carry. */
export type EngineContract = RuntimeContract & SystemContract & KnowledgeContract & AssistantContract & RepliesContract & PlatformContract;

/**
 * A pluggable group of engine methods: its handlers and what to release at exit. The engine's entry merges the
 * groups it is given; a new group (corpus, use cases) is one more module, nothing else changes.
 */
export interface EngineModule<C extends RpcContract> {
  readonly handlers: RpcHandlers<C>;
  dispose?(): Promise<void>;
}
