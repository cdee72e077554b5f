/**
 * `GuichetClient`: the one object the renderer talks to, built by issue 9's generic client from the contract's method
 * table (dotted method names become nested objects). Declared here, from the contract's types only, so that the real
 * client (HTTP for `guichet serve`, IPC for the desktop app) and the tests' fake can both be given to the services.
 * Only `lib/services/` calls it.
 */
import type {
  AskAnswer,
  AskEvent,
  AskRequest,
  Audience,
  Conversation,
  ConversationSummary,
  CorpusInfo,
  FeedbackEntry,
  FeedbackInput,
  FeedbackStats,
  Fiche,
  Health,
  ImportReport,
  ModelListing,
  NewReplyEntry,
  ReplyDraft,
  ReplyEntry,
  ReplyRequest,
  ResolvedSettings,
  RuntimeStatus,
  SearchResult,
} from '../../../../assistant/api.js';
import type { ReplyEntryPatch } from '../../../../assistant/api.js';
import type { ReplyImportReport } from '../../../../assistant/api.js';
import type { HardwareInfo } from '../../../../assistant/api.js';

export interface CallOptions {
  signal?: AbortSignal;
}

/** A streamed call: its events as they come, then its result. */
export interface ContractStream<E, R> extends AsyncIterable<E> {
  /** The final result; after `cancel()`, the partial result (an aborted `ask` keeps its text, citations, sources). */
  readonly result: Promise<R>;
  /** « Arrêter »: the engine ends the stream and keeps what was written. */
  cancel(): void;
}

/** A warning attached to an answer (model could not load, history not saved…). */
export interface AnswerWarning {
  code: string;
  message: string;
}

/** `AskAnswer` as issue 9 extends it. */
export type AskResult = AskAnswer & { warnings?: AnswerWarning[] };

export type EngineState = 'starting' | 'ready' | 'restarting' | 'failed';
export interface EngineStatusEvent {
  type: 'engine.status';
  state: EngineState;
  message?: string;
}
export interface ImportProgressEvent {
  type: 'progress';
  label: string;
  done: number;
  total: number;
}
export type ReplyEvent = { type: 'status'; message: string } | { type: 'token'; text: string };

export interface GuichetClient {
  ask(request: AskRequest, options?: CallOptions): ContractStream<AskEvent, AskResult>;
  search(request: { query: string; k?: number; audiences?: Audience[] }, options?: CallOptions): Promise<SearchResult>;
  fiche: { get(params: { id: string; audience?: Audience }, options?: CallOptions): Promise<Fiche> };
  corpus: {
    info(params?: undefined, options?: CallOptions): Promise<CorpusInfo | null>;
    import(params: { from: string; audience?: Audience }, options?: CallOptions): ContractStream<ImportProgressEvent, ImportReport>;
  };
  conversations: {
    list(params?: { limit?: number; offset?: number }, options?: CallOptions): Promise<{ total: number; conversations: ConversationSummary[] }>;
    get(params: { id: string }, options?: CallOptions): Promise<Conversation>;
    delete(params: { id: string }, options?: CallOptions): Promise<null>;
    export(params: { id: string; format: 'markdown' | 'json' }, options?: CallOptions): Promise<string>;
  };
  feedback: {
    record(input: FeedbackInput, options?: CallOptions): Promise<FeedbackEntry>;
    stats(params?: { since?: string }, options?: CallOptions): Promise<FeedbackStats>;
  };
  reply: {
    draft(request: ReplyRequest & { useModel?: boolean; modelPath?: string }, options?: CallOptions): ContractStream<ReplyEvent, ReplyDraft>;
  };
  replies: {
    list(params?: { institution?: string; query?: string }, options?: CallOptions): Promise<ReplyEntry[]>;
    add(entry: NewReplyEntry, options?: CallOptions): Promise<ReplyEntry>;
    update(params: { id: string; patch: ReplyEntryPatch }, options?: CallOptions): Promise<ReplyEntry>;
    delete(params: { id: string }, options?: CallOptions): Promise<null>;
    export(params?: undefined, options?: CallOptions): Promise<string>;
    import(params: { json: string; mode: 'merge' | 'replace' }, options?: CallOptions): Promise<ReplyImportReport>;
  };
  models: {
    list(params?: undefined, options?: CallOptions): Promise<ModelListing>;
    status(params?: undefined, options?: CallOptions): Promise<RuntimeStatus>;
  };
  hardware: { info(params?: undefined, options?: CallOptions): Promise<HardwareInfo> };
  settings: {
    get(params?: undefined, options?: CallOptions): Promise<ResolvedSettings>;
    set(params: { key: string; value: unknown }, options?: CallOptions): Promise<ResolvedSettings>;
  };
  health(params?: undefined, options?: CallOptions): Promise<Health>;
  engine: {
    /** Never ends until cancelled. */
    status(params?: undefined, options?: CallOptions): ContractStream<EngineStatusEvent, null>;
    restart(params?: undefined, options?: CallOptions): Promise<null>;
  };
}

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
