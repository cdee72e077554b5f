import OpenAI from 'openai';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { HardwareInfo } from '../native-models/hardware.js';
import type {
  GenerateOptions,
  GenerateRequest,
  GenerationResult,
  GenerationStats,
  LoadControl,
  LoadedModel,
  LoadModelOptions,
  ModelRuntime,
  RemoteEndpoint,
  RuntimeStatus,
} from '../native-models/modelRuntime.js';
import { remoteFailure } from './remoteFailure.js';
import { RemoteModelError } from './remoteModelError.js';
import { chatMessages, RemoteTokenizer } from './remoteTokenizer.js';
import { servedContextSize, type ServerRoot } from './serverProps.js';

/** Context size assumed when neither the server nor the settings say: small enough for any server worth using. */
export const DEFAULT_REMOTE_CONTEXT = 4096;
/** Defaults of a generation, as the local runtime's. */
const DEFAULTS = { maxTokens: 512, temperature: 0.2 } as const;
/** The OpenAI API takes at most four stop strings. */
const MAX_STOP_STRINGS = 4;

/** What the remote runtime is built from (composition code resolves policy, URL and key first). */
export interface RemoteRuntimeOptions {
  /** Base URL of the OpenAI-compatible API (`https://llm.dept.gouv.fr/v1`): `/chat/completions`, `/models` below it. */
  url: string;
  /** Bearer key; never logged, never in a message. Absent: no `Authorization` header. */
  apiKey?: string;
  /** Default: the global `fetch` (which checks TLS certificates; there is no option to skip that). */
  fetch?: typeof fetch;
  /** Estimated tokens of a text, for servers without a tokenizer endpoint. */
  estimateTokens: (text: string) => number;
  /** This PC's hardware (the local runtime's answer): the remote runtime runs nothing here. */
  hardware: () => Promise<HardwareInfo>;
  /** Request time-out, ms (a hung server fails instead of waiting forever). Default 300,000. */
  timeoutMs?: number;
}

/** A model the server offers, from `GET /models`. */
export interface RemoteModelInfo {
  id: string;
  /** Its context length when the server says (vLLM `max_model_len`, llama.cpp `meta.n_ctx_train`…). */
  contextLength?: number;
}

/**
 * {@link ModelRuntime} on a shared OpenAI-compatible server (llama.cpp's `llama-server`, vLLM, a State gateway):
 * `load` picks the server's model and its context length, `generate` streams `POST /chat/completions`, a stop aborts
 * the HTTP request and keeps the text so far. Nothing runs on this PC but the HTTP client.
 */
export class RemoteRuntime implements ModelRuntime {
  readonly host: string;
  private readonly client: OpenAI;
  private readonly tokenizer: RemoteTokenizer;
  private readonly root: ServerRoot;
  private current: LoadedModel | undefined;
  private loading: string | undefined;
  private disposed = false;

  constructor(private readonly options: RemoteRuntimeOptions) {
    const url = new URL(options.url);
    this.host = url.host;
    const fetcher = options.fetch ?? globalThis.fetch;
    this.client = new OpenAI({
      baseURL: options.url.replace(/\/+$/, ''),
      // The client requires a key; servers without one ignore the header.
      apiKey: options.apiKey ?? 'sans-cle',
      fetch: fetcher,
      // A failure is the agent's to see at once (429 says when to retry): no hidden retries.
      maxRetries: 0,
      timeout: options.timeoutMs ?? 300_000,
    });
    this.root = {
      root: options.url.replace(/\/+$/, '').replace(/\/v1$/, ''),
      fetch: fetcher,
      headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    };
    this.tokenizer = new RemoteTokenizer({ ...this.root, estimate: options.estimateTokens });
  }

  /** The models the server offers. */
  async models(signal?: AbortSignal): Promise<RemoteModelInfo[]> {
    this.live();
    try {
      const page = await this.client.models.list(signal ? { signal } : {});
      return page.data.map((model) => ({ id: model.id, ...contextOf(model) }));
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw remoteFailure(error, this.host);
    }
  }

  /**
   * `options.path` names the server's model; empty: the first it offers. Its context: llama.cpp's `/props`, else what
   * `/models` says, else {@link DEFAULT_REMOTE_CONTEXT}; `contextSize` caps it.
   */
  async load(options: LoadModelOptions, control: LoadControl = {}): Promise<LoadedModel> {
    this.live();
    this.loading = options.path || this.host;
    const started = performance.now();
    try {
      const offered = await this.models(control.signal);
      const model = options.path ? offered.find((m) => m.id === options.path) : offered[0];
      if (!model) {
        const names = offered.map((m) => m.id).join(', ') || 'aucun';
        throw new RemoteModelError('remote-model-unknown', `Le serveur ${this.host} ne propose pas le modèle « ${options.path} » (modèles proposés : ${names}).`);
      }
      // llama.cpp's server says what it serves in /props; /models, what the model was trained on or vLLM's limit.
      const known = (await servedContextSize(this.root, control.signal)) ?? model.contextLength;
      const served = known ?? DEFAULT_REMOTE_CONTEXT;
      const contextSize = options.contextSize ? Math.min(options.contextSize, served) : served;
      const remote: RemoteEndpoint = { url: this.options.url, host: this.host, model: model.id };
      this.current = {
        path: model.id,
        fileName: model.id,
        name: model.id,
        architecture: 'serveur',
        quantization: '',
        contextSize,
        trainContextSize: served,
        threads: { threads: 0, source: 'auto', capped: false, explanation: `Le modèle tourne sur le serveur ${this.host}.` },
        device: { device: 'cpu', gpuLayers: 0, totalLayers: 0, reason: `Serveur partagé ${this.host} : rien ne tourne sur ce poste.` },
        chatFormat: { source: 'gguf', wrapper: 'serveur' },
        memory: { contextSize, weightsBytes: 0, kvCacheBytes: 0, computeBytes: 0, totalBytes: 0 },
        loadMs: performance.now() - started,
        warnings: known === undefined ? [`Le serveur ${this.host} n'indique pas la taille de contexte du modèle : ${contextSize.toLocaleString('fr-FR')} jetons supposés.`] : [],
        remote,
      };
      return this.current;
    } finally {
      this.loading = undefined;
    }
  }

  async unload(): Promise<void> {
    this.current = undefined;
  }

  status(): RuntimeStatus {
    if (this.loading !== undefined) return { state: 'loading', path: this.loading };
    return this.current ? { state: 'ready', model: this.current } : { state: 'empty' };
  }

  async promptTokens(request: GenerateRequest): Promise<number> {
    this.ready();
    return this.tokenizer.promptTokens(request);
  }

  hardware(): Promise<HardwareInfo> {
    return this.options.hardware();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.current = undefined;
  }

  async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerationResult> {
    const model = this.ready();
    const { signal } = options;
    const started = performance.now();
    const run: StreamRun = { text: '', pieces: 0, firstAt: undefined, finish: null, usage: undefined };
    if (signal?.aborted) return this.result(run, 'aborted', started);
    try {
      const stream = await this.client.chat.completions.create(completionParams(model.path, request), signal ? { signal } : {});
      run.answering = true;
      for await (const chunk of stream) {
        if (chunk.usage) run.usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
        const choice = chunk.choices[0];
        const piece = choice?.delta?.content;
        if (piece) {
          run.firstAt ??= performance.now();
          run.text += piece;
          run.pieces++;
          safely(() => options.onText?.(piece));
        }
        if (choice?.finish_reason) run.finish = choice.finish_reason;
      }
    } catch (error) {
      if (signal?.aborted) return this.result(run, 'aborted', started);
      // The answer had begun when the connection broke: a cut, with or without text.
      if (run.answering) return this.cut(run, started, error);
      throw remoteFailure(error, this.host);
    }
    if (signal?.aborted) return this.result(run, 'aborted', started);
    if (run.finish === null) return this.cut(run, started, 'flux terminé sans finish_reason');
    return this.result(run, run.finish === 'length' ? 'maxTokens' : 'stop', started);
  }

  /** A stream that stopped before its end: the text so far is kept, as after a stop; with none, an error. */
  private cut(run: StreamRun, started: number, cause: unknown): GenerationResult {
    if (!run.text) throw new RemoteModelError('remote-stream-cut', `La réponse du serveur ${this.host} s'est interrompue avant le premier mot. Réessayez.`, { cause });
    return {
      ...this.result(run, 'aborted', started),
      interruption: { code: 'remote-stream-cut', message: `La connexion au serveur ${this.host} a été coupée pendant la rédaction : le début du brouillon est conservé.` },
    };
  }

  private result(run: StreamRun, reason: GenerationResult['reason'], started: number): GenerationResult {
    const ended = performance.now();
    const completionTokens = run.usage?.completion ?? run.pieces;
    const generatingMs = run.firstAt === undefined ? 0 : ended - run.firstAt;
    const stats: GenerationStats = {
      promptTokens: run.usage?.prompt ?? 0,
      evaluatedPromptTokens: run.usage?.prompt ?? 0,
      completionTokens,
      timeToFirstTokenMs: run.firstAt === undefined ? null : run.firstAt - started,
      durationMs: ended - started,
      // As the local runtime: the first token's time is the prompt's reading; speed counts the tokens after it.
      tokensPerSecond: generatingMs > 0 && completionTokens > 1 ? ((completionTokens - 1) * 1000) / generatingMs : 0,
    };
    return { text: run.text, reason, stats, writtenOn: this.host };
  }

  private ready(): LoadedModel {
    this.live();
    if (!this.current) throw new RemoteModelError('remote-model-unknown', `Aucun modèle du serveur ${this.host} n'est choisi.`);
    return this.current;
  }

  private live(): void {
    if (this.disposed) throw new RemoteModelError('remote-unreachable', `La connexion au serveur ${this.host} est fermée.`);
  }
}

interface StreamRun {
  /** The server accepted the request and the stream began. */
  answering?: boolean;
  text: string;
  pieces: number;
  firstAt: number | undefined;
  finish: string | null;
  usage: { prompt: number; completion: number } | undefined;
}

function completionParams(model: string, request: GenerateRequest): ChatCompletionCreateParamsStreaming {
  return {
    model,
    messages: chatMessages(request),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxTokens ?? DEFAULTS.maxTokens,
    temperature: request.temperature ?? DEFAULTS.temperature,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stop?.length ? { stop: request.stop.slice(0, MAX_STOP_STRINGS) } : {}),
  };
}

/** The context length a server reports in its own field: vLLM, llama.cpp, or gateways' `context_length`. */
function contextOf(model: object): { contextLength?: number } {
  const fields = model as { max_model_len?: unknown; context_length?: unknown; meta?: { n_ctx?: unknown; n_ctx_train?: unknown } };
  const value = [fields.max_model_len, fields.context_length, fields.meta?.n_ctx, fields.meta?.n_ctx_train].find((v): v is number => typeof v === 'number' && v > 0);
  return value === undefined ? {} : { contextLength: value };
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // A throwing listener cannot break the generation.
  }
}
