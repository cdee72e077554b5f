import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { type ChatHistoryItem, getLlama, type Llama, LlamaChat, type LlamaContext, LlamaLogLevel, type LlamaModel } from 'node-llama-cpp';
import { resolveChatFormat } from '../../native-models/chatFormat.js';
import { EventStreamOutbox } from './eventStreamOutbox.js';

/**
 * A STAND-IN for a department's shared model server (llama.cpp's `llama-server`, vLLM): the OpenAI-compatible API on
 * 127.0.0.1, writing real tokens of a small GGUF through node-llama-cpp. Never shipped; tests and the bench only.
 *
 * - `GET /v1/models`, `POST /v1/chat/completions` (SSE with `stream: true`, `stream_options.include_usage`),
 *   `POST /v1/embeddings` (when given an embed function), and llama.cpp's own `POST /tokenize`,
 *   `POST /apply-template` and `GET /props` at the root;
 * - told to fail ({@link OpenAiStandIn.fail}): 401, 429 with `Retry-After`, 500, a stream cut half-way, a slow first
 *   byte;
 * - records what it received ({@link OpenAiStandIn.received}), to check what left the PC.
 */
export interface OpenAiStandIn {
  /** Base URL of the API, `http://127.0.0.1:<port>/v1`. */
  url: string;
  /** `127.0.0.1:<port>`. */
  host: string;
  /** The model's name in `/v1/models`. */
  model: string;
  /** Every request, in order, with its parsed JSON body. */
  received: ReceivedRequest[];
  /** Chat streams whose client went away before the end (a cancel aborts the HTTP request). */
  abortedStreams(): number;
  /** Resolves when a chat stream has been aborted by its client `count` times in all. */
  waitForAbortedStreams(count: number): Promise<void>;
  /** Resolves once a chat stream has sent `chunks` content chunks in all (to cancel mid-answer). */
  waitForChunks(chunks: number): Promise<void>;
  /** Fail every later chat completion this way (`undefined`: answer normally again). */
  fail(failure: StandInFailure | undefined): void;
  close(): Promise<void>;
}

/**
 * How fast the stand-in wrote its last streamed answer, from its first token to its last, as llama-server's `timings`
 * (`predicted_*`); also served at `GET /stand-in/timings` (the bench compares it with what the client received).
 */
export interface StandInTimings {
  predicted_n: number;
  predicted_ms: number;
  predicted_per_second: number;
}

/** How the stand-in fails a chat completion. `unauthorized` also fails `/v1/models`. */
export type StandInFailure =
  | { kind: 'unauthorized' }
  | { kind: 'rate-limited'; retryAfterSeconds: number }
  | { kind: 'server-error' }
  | { kind: 'cut'; afterChunks: number }
  | { kind: 'slow-first-byte'; delayMs: number };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface OpenAiStandInOptions {
  /** The chat GGUF (e.g. `../shared/models/stories260K.gguf`). */
  modelPath: string;
  /** Required bearer key; absent: none. */
  apiKey?: string;
  /** Served context, tokens. Default 2048. */
  contextSize?: number;
  /** Passage embeddings for `/v1/embeddings`; absent: 404 there. */
  embed?: (texts: string[]) => Promise<number[][]>;
  /** Whether llama.cpp's `/tokenize` and `/apply-template` exist (vLLM has neither). Default true. */
  tokenizer?: boolean;
  /** Whether llama.cpp's `GET /props` (the served context) exists. Default true. */
  props?: boolean;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
}

/** Starts the stand-in on 127.0.0.1 with a free port. One thread: these tiny models slow down with more. */
export async function startOpenAiStandIn(options: OpenAiStandInOptions): Promise<OpenAiStandIn> {
  const llama = await getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.error, progressLogs: false });
  const model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: options.contextSize ?? 2048, threads: 1 });
  const { wrapper } = resolveChatFormat(model, basename(options.modelPath));
  const loaded: Loaded = { llama, model, context, chat: new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: wrapper }) };
  const name = basename(options.modelPath).replace(/\.gguf$/i, '');
  const state = new StandInState();
  const received: ReceivedRequest[] = [];
  // One sequence: generations wait for one another, as on a server with one slot.
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = (request.url ?? '').split('?')[0] ?? '';
      received.push({ method: request.method ?? '', path, headers: request.headers, body });
      const route = { request, response, body, path };
      if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) return sendError(response, 401, 'invalid api key');
      if (state.failure?.kind === 'unauthorized') return sendError(response, 401, 'invalid api key');
      // As llama-server: /models gives the training context, /props the one served to each request.
      if (path === '/v1/models' && request.method === 'GET') return sendJson(response, 200, { object: 'list', data: [{ id: name, object: 'model', owned_by: 'stand-in', meta: { n_ctx_train: model.trainContextSize } }] });
      if (options.props !== false && path === '/props' && request.method === 'GET') return sendJson(response, 200, { default_generation_settings: { n_ctx: context.contextSize }, total_slots: 1 });
      if (path === '/stand-in/timings' && request.method === 'GET') return sendJson(response, 200, state.timings ?? null);
      if (path === '/v1/chat/completions' && request.method === 'POST') {
        const run = queue.then(() => chatCompletion(loaded, name, state, route));
        queue = run.catch(() => {});
        return run;
      }
      if (path === '/v1/embeddings' && request.method === 'POST' && options.embed) return embeddings(options.embed, name, route);
      if (options.tokenizer !== false && path === '/tokenize' && request.method === 'POST') return sendJson(response, 200, { tokens: [...model.tokenize(String((body as { content?: unknown }).content ?? ''), true)] });
      if (options.tokenizer !== false && path === '/apply-template' && request.method === 'POST') return sendJson(response, 200, { prompt: renderTemplate(loaded, (body as { messages?: unknown }).messages) });
      return sendError(response, 404, 'not found');
    }).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error));
      else response.destroy();
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    host: `127.0.0.1:${port}`,
    model: name,
    received,
    abortedStreams: () => state.aborted,
    waitForAbortedStreams: (count) => state.until(() => state.aborted >= count),
    waitForChunks: (chunks) => state.until(() => state.chunks >= chunks),
    fail: (failure) => {
      state.failure = failure;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await queue;
      loaded.chat.dispose();
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** Counters the tests wait on, and the failure mode. */
class StandInState {
  failure: StandInFailure | undefined;
  timings: StandInTimings | undefined;
  aborted = 0;
  chunks = 0;
  private readonly waiters = new Set<() => void>();

  changed(): void {
    for (const wake of this.waiters) wake();
  }

  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((done) => {
      const wake = () => {
        if (!condition()) return;
        this.waiters.delete(wake);
        done();
      };
      this.waiters.add(wake);
    });
  }
}

interface Route {
  request: IncomingMessage;
  response: ServerResponse;
  body: unknown;
  path: string;
}

interface ChatBody {
  messages?: { role: string; content: string }[];
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
  seed?: number;
  stop?: string[] | string;
  stream_options?: { include_usage?: boolean };
}

async function chatCompletion(loaded: Loaded, name: string, state: StandInState, { request, response, body }: Route): Promise<void> {
  const failure = state.failure;
  if (failure?.kind === 'rate-limited') return sendError(response, 429, 'too many requests', { 'retry-after': String(failure.retryAfterSeconds) });
  if (failure?.kind === 'server-error') return sendError(response, 500, 'internal server error');
  const chat = body as ChatBody;
  const controller = new AbortController();
  let finished = false;
  response.on('close', () => {
    if (finished) return;
    controller.abort();
    state.aborted++;
    state.changed();
  });
  if (failure?.kind === 'slow-first-byte') await delay(failure.delayMs, controller.signal);
  if (controller.signal.aborted) return;
  const history = historyOf(chat.messages ?? []);
  const id = `chatcmpl-standin-${Date.now().toString(36)}`;
  const chunk = (delta: object, finish: string | null) => ({ id, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: name, choices: [{ index: 0, delta, finish_reason: finish }] });
  if (!chat.stream) {
    const result = await generate(loaded, history, chat, controller.signal, () => {});
    finished = true;
    return sendJson(response, 200, { id, object: 'chat.completion', model: name, choices: [{ index: 0, message: { role: 'assistant', content: result.text }, finish_reason: result.finish }], usage: result.usage });
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const events = new EventStreamOutbox(response);
  events.send(chunk({ role: 'assistant', content: '' }, null));
  let sent = 0;
  let firstAt: number | undefined;
  const result = await generate(loaded, history, chat, controller.signal, (text) => {
    firstAt ??= performance.now();
    if (controller.signal.aborted) return;
    if (failure?.kind === 'cut' && sent >= failure.afterChunks) {
      // The connection dies half-way, as when a proxy or the server falls over.
      controller.abort();
      events.flush();
      response.socket?.destroy();
      return;
    }
    events.send(chunk({ content: text }, null));
    sent++;
    state.chunks++;
    state.changed();
  });
  if (controller.signal.aborted) return;
  state.timings = timingsOf(result.usage.completion_tokens, firstAt);
  // llama-server sends its timings with the last chunk; OpenAI clients ignore the field.
  events.send({ ...chunk({}, result.finish), timings: state.timings });
  if (chat.stream_options?.include_usage) events.send({ id, object: 'chat.completion.chunk', model: name, choices: [], usage: result.usage });
  events.send('[DONE]');
  finished = true;
  await events.end();
  void request;
}

async function generate(loaded: Loaded, history: ChatHistoryItem[], chat: ChatBody, signal: AbortSignal, onText: (text: string) => void) {
  const meter = loaded.chat.sequence.tokenMeter;
  const before = meter.getState();
  const stop = typeof chat.stop === 'string' ? [chat.stop] : chat.stop;
  const response = await loaded.chat.generateResponse(history, {
    maxTokens: chat.max_tokens ?? 256,
    temperature: chat.temperature ?? 0.2,
    ...(chat.seed !== undefined ? { seed: chat.seed } : {}),
    ...(stop?.length ? { customStopTriggers: stop } : {}),
    signal,
    stopOnAbortSignal: true,
    onTextChunk: onText,
  });
  const after = meter.getState();
  const completion = after.usedOutputTokens - before.usedOutputTokens;
  // The whole prompt, as llama-server reports it (prefix reuse aside).
  const prompt = loaded.chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(loaded.model.tokenizer).length;
  return {
    text: response.response,
    finish: response.metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
  };
}

async function embeddings(embed: (texts: string[]) => Promise<number[][]>, name: string, { response, body }: Route): Promise<void> {
  const input = (body as { input?: unknown }).input;
  const texts = Array.isArray(input) ? input.map(String) : [String(input ?? '')];
  const vectors = await embed(texts);
  sendJson(response, 200, { object: 'list', model: name, data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })), usage: { prompt_tokens: 0, total_tokens: 0 } });
}

function renderTemplate(loaded: Loaded, messages: unknown): string {
  const list = Array.isArray(messages) ? (messages as { role: string; content: string }[]) : [];
  return loaded.chat.chatWrapper.generateContextState({ chatHistory: historyOf(list) }).contextText.toString();
}

function historyOf(messages: { role: string; content: string }[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system' ? { type: 'system', text: m.content } : m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: 'user', text: m.content },
  );
  history.push({ type: 'model', response: [] });
  return history;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendJson(response: ServerResponse, status: number, data: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
}

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message, type: 'stand_in_error', code: status } }));
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      done();
    }, { once: true });
  });
}

/** The speed counts the tokens after the first, whose time is the prompt's reading (as the runtimes measure it). */
function timingsOf(tokens: number, firstAt: number | undefined): StandInTimings {
  const ms = firstAt === undefined ? 0 : performance.now() - firstAt;
  return { predicted_n: tokens, predicted_ms: ms, predicted_per_second: tokens > 1 && ms > 0 ? ((tokens - 1) * 1000) / ms : 0 };
}
