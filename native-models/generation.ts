import type { ChatHistoryItem, LlamaChat, LlamaModel, Token } from 'node-llama-cpp';
import { frenchCount } from './frenchFigures.js';
import { ModelError } from './modelError.js';
import { readPromptInSteps } from './promptReader.js';
import type { GenerateOptions, GenerateRequest, GenerationResult, StopReason } from './modelRuntime.js';

/** Defaults of {@link GenerateRequest}; see there. */
export const GENERATION_DEFAULTS = { maxTokens: 512, temperature: 0.2 } as const;
/** Tokens the prompt must leave free for an answer to be worth starting. */
const MIN_ANSWER_TOKENS = 16;

/** Tokens of a request's whole prompt (system, messages, chat template), as the model will evaluate it. */
export function countPromptTokens(chat: LlamaChat, model: LlamaModel, request: GenerateRequest): number {
  return promptTokensOf(chat, model, historyOf(request)).length;
}

/** Tokens of a chat history as the wrapper renders it. */
export function promptTokensOf(chat: LlamaChat, model: LlamaModel, history: ChatHistoryItem[]): Token[] {
  return chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer);
}

/**
 * Runs one generation on a chat bound to a context sequence. node-llama-cpp compares the new prompt's tokens with
 * the sequence's and evaluates only from the first difference: with the same system prompt, a new question costs
 * only its own tokens.
 */
export async function runGeneration(
  chat: LlamaChat,
  model: LlamaModel,
  contextSize: number,
  request: GenerateRequest,
  options: GenerateOptions = {},
  onSpeed?: (tokensPerSecond: number) => void,
): Promise<GenerationResult> {
  const history = historyOf(request);
  const prompt = promptTokensOf(chat, model, history);
  const promptTokens = prompt.length;
  const room = contextSize - promptTokens;
  if (room < MIN_ANSWER_TOKENS) {
    throw new ModelError(
      'generation-failed',
      `La question et ses extraits sont trop longs pour le modèle : ${frenchCount(promptTokens)} jetons pour un contexte de ${frenchCount(contextSize)}. Raccourcissez la question ou augmentez le contexte (runtime.contextSize).`,
      { cause: { promptTokens, contextSize } },
    );
  }
  const meter = chat.sequence.tokenMeter;
  const before = meter.getState();
  const started = performance.now();
  let firstAt: number | undefined;
  try {
    // Cancellable reading of long prompts (the question's extracts), from where the sequence stands (a speculative
    // reading, the previous turn).
    await readPromptInSteps(chat, prompt, options.signal ?? new AbortController().signal, {
      ...(onSpeed ? { onSpeed } : {}),
      ...(options.onReading ? { onStep: (step) => options.onReading?.({ inContext: step.inSequence, total: step.target }) } : {}),
    });
    const readAt = performance.now();
    const response = await chat.generateResponse(history, {
      maxTokens: Math.min(request.maxTokens ?? GENERATION_DEFAULTS.maxTokens, room),
      temperature: request.temperature ?? GENERATION_DEFAULTS.temperature,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.stop?.length ? { customStopTriggers: request.stop } : {}),
      signal: options.signal,
      stopOnAbortSignal: true,
      onTextChunk: (text) => {
        firstAt ??= performance.now();
        if (!options.onText) return;
        try {
          options.onText(text);
        } catch {
          // The listener is the caller's problem; the generation carries on.
        }
      },
    });
    const ended = performance.now();
    const after = meter.getState();
    const completionTokens = after.usedOutputTokens - before.usedOutputTokens;
    const generatingMs = firstAt === undefined ? 0 : ended - firstAt;
    return {
      text: response.response,
      reason: stopReason(response.metadata.stopReason),
      stats: {
        promptTokens,
        evaluatedPromptTokens: Math.min(promptTokens, after.usedInputTokens - before.usedInputTokens),
        completionTokens,
        timeToFirstTokenMs: firstAt === undefined ? null : firstAt - started,
        promptReadMs: readAt - started,
        durationMs: ended - started,
        // The first token's time is prompt evaluation: speed counts the tokens after it.
        tokensPerSecond: generatingMs > 0 && completionTokens > 1 ? ((completionTokens - 1) * 1000) / generatingMs : 0,
      },
    };
  } catch (error) {
    if (error instanceof ModelError) throw error;
    // Aborted while the prompt was being read (node-llama-cpp throws there; during writing it returns): the agent
    // stopped a long read, which is no failure.
    if (options.signal?.aborted) return abortedWhileReading(promptTokens, meter.getState().usedInputTokens - before.usedInputTokens, performance.now() - started);
    throw new ModelError('generation-failed', 'La génération de la réponse a échoué dans le moteur du modèle.', { cause: error });
  }
}

function abortedWhileReading(promptTokens: number, evaluated: number, durationMs: number): GenerationResult {
  return {
    text: '',
    reason: 'aborted',
    stats: {
      promptTokens,
      evaluatedPromptTokens: Math.max(0, Math.min(promptTokens, evaluated)),
      completionTokens: 0,
      timeToFirstTokenMs: null,
      durationMs,
      tokensPerSecond: 0,
    },
  };
}

export function historyOf(request: GenerateRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (request.system) history.push({ type: 'system', text: request.system });
  for (const message of request.messages) {
    history.push(message.role === 'user' ? { type: 'user', text: message.text } : { type: 'model', response: [message.text] });
  }
  history.push({ type: 'model', response: [] });
  return history;
}

function stopReason(reason: string): StopReason {
  if (reason === 'abort') return 'aborted';
  if (reason === 'maxTokens') return 'maxTokens';
  return 'stop';
}
