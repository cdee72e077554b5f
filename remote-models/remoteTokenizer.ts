import type { GenerateRequest } from '../native-models/modelRuntime.js';

/** Tokens a chat template adds around each message (role markers, separators), when the server cannot say. */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

/** What {@link RemoteTokenizer} needs. */
export interface RemoteTokenizerOptions {
  /** The server's root, without `/v1`: llama.cpp serves `/tokenize` and `/apply-template` there. */
  root: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
  /** Estimated tokens of a text when the server has no tokenizer endpoint (the assistant's one estimate). */
  estimate: (text: string) => number;
}

/**
 * Measures prompts without a local tokenizer: llama.cpp's server renders its chat template (`POST /apply-template`)
 * and tokenizes (`POST /tokenize`) with the model's own tokenizer; a server without them (vLLM's OpenAI API, a
 * gateway) gets a conservative estimate. What the server offers is learnt on the first call and remembered.
 */
export class RemoteTokenizer {
  private endpoints: 'unknown' | 'template' | 'tokenize' | 'none' = 'unknown';

  constructor(private readonly options: RemoteTokenizerOptions) {}

  /** Whether the server's own tokenizer measured the last prompt (`false`: an estimate). */
  get exact(): boolean {
    return this.endpoints === 'template' || this.endpoints === 'tokenize';
  }

  async promptTokens(request: GenerateRequest, signal?: AbortSignal): Promise<number> {
    const messages = chatMessages(request);
    if (this.endpoints === 'unknown' || this.endpoints === 'template') {
      const rendered = await this.post<{ prompt?: unknown }>('/apply-template', { messages }, signal);
      if (typeof rendered?.prompt === 'string') {
        const tokens = await this.tokenize(rendered.prompt, signal);
        if (tokens !== undefined) {
          this.endpoints = 'template';
          return tokens;
        }
      }
      if (this.endpoints === 'template') this.endpoints = 'unknown';
    }
    const text = messages.map((m) => m.content).join('\n');
    const overhead = TEMPLATE_TOKENS_PER_MESSAGE * messages.length;
    if (this.endpoints !== 'none') {
      const tokens = await this.tokenize(text, signal);
      if (tokens !== undefined) {
        this.endpoints = 'tokenize';
        return tokens + overhead;
      }
      this.endpoints = 'none';
    }
    return this.options.estimate(text) + overhead;
  }

  private async tokenize(content: string, signal?: AbortSignal): Promise<number | undefined> {
    const answer = await this.post<{ tokens?: unknown }>('/tokenize', { content, add_special: true }, signal);
    return Array.isArray(answer?.tokens) ? answer.tokens.length : undefined;
  }

  /** The JSON answer of an optional endpoint, `undefined` when the server lacks it or fails (an estimate follows). */
  private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T | undefined> {
    try {
      const response = await this.options.fetch(`${this.options.root}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return undefined;
      }
      return (await response.json()) as T;
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }
}

/** A request as OpenAI chat messages: the system prompt first, the model's turns as `assistant`. */
export function chatMessages(request: GenerateRequest): { role: 'system' | 'user' | 'assistant'; content: string }[] {
  return [
    ...(request.system ? [{ role: 'system' as const, content: request.system }] : []),
    ...request.messages.map((message) => ({ role: message.role, content: message.text })),
  ];
}
