import type { GpuBackend } from './llamaBackends.js';
import type { HardwareInfo } from './hardware.js';
import type { MemoryEstimate } from './memoryPreflight.js';
import type { ThreadChoice } from './threads.js';

/** Where the model runs. */
export type ComputeDevice = 'cpu' | GpuBackend;

/** What to load and how. Every field but `path` comes from the settings (`runtime.*`), resolved by the shell. */
export interface LoadModelOptions {
  /** The GGUF chat model file. */
  path: string;
  /** `runtime.threads`: `null`/absent = one per physical core (capped at 8); never more than the physical cores. */
  threads?: number | null;
  /**
   * `runtime.gpu`: `auto` (default) compares GPU and CPU once per model and remembers the faster; `cpu` never uses
   * a GPU; a backend name uses it, falling back to the CPU (and saying so) when it fails.
   */
  gpu?: 'auto' | ComputeDevice;
  /**
   * `runtime.gpuMemoryMiB`: GPU memory the model may use (weights and KV cache of the offloaded layers), MiB;
   * `null`/absent = the GPU's free memory (all of it on unified-memory GPUs). The other layers run on the CPU.
   */
  gpuMemoryMiB?: number | null;
  /** `runtime.contextSize` in tokens (512–131,072): `null`/absent = the largest of 8k, 4k, 2k that fits in memory. */
  contextSize?: number | null;
}

/** How the chat prompt is formatted. */
export interface ChatFormat {
  /**
   * `gguf`: the file's own chat template (rendered by node-llama-cpp's equivalent wrapper or its Jinja engine);
   * `inferred`: no template in the file, the format recognised from the model's name and tokenizer;
   * `generic`: nothing recognised, a neutral format (« ### User / ### Assistant ») — answers may be poor, and a
   * warning says so.
   */
  source: 'gguf' | 'inferred' | 'generic';
  /** node-llama-cpp's wrapper name: `Llama2Chat`, `Mistral`, `Llama3_1Chat`, `ChatML`, `JinjaTemplate`, `General`… */
  wrapper: string;
}

/** Which device runs the model, and why: always shown to the agent. */
export interface DeviceReport {
  device: ComputeDevice;
  /** Layers on the GPU (0 on CPU) out of `totalLayers` (blocks + output layer). */
  gpuLayers: number;
  totalLayers: number;
  gpuName?: string;
  /** One French sentence: « Processeur : aucun GPU compatible détecté. », « GPU Vulkan (Intel UHD 620), mesuré 1,8× plus rapide que le processeur. »… */
  reason: string;
}

/** A model ready to answer. */
export interface LoadedModel {
  path: string;
  fileName: string;
  name: string | undefined;
  architecture: string;
  quantization: string;
  contextSize: number;
  trainContextSize: number;
  threads: ThreadChoice;
  device: DeviceReport;
  chatFormat: ChatFormat;
  memory: MemoryEstimate;
  /** Wall time of the load, ms (the device comparison excluded). */
  loadMs: number;
  /** French warnings to show: generic chat format, GPU fallback, context lowered… */
  warnings: string[];
  /** Set when the model runs on a shared server (the remote runtime): nothing of the above is on this PC. */
  remote?: RemoteEndpoint;
}

/** The shared model server a remote runtime talks to. */
export interface RemoteEndpoint {
  /** Base URL of its OpenAI-compatible API, e.g. `https://llm.dept.gouv.fr/v1`. */
  url: string;
  /** `host[:port]`, as shown to the agent (« Rédigé sur llm.dept.gouv.fr »). */
  host: string;
  /** The model's name on that server. */
  model: string;
}

/** What the runtime is doing. */
export type RuntimeStatus =
  | { state: 'empty' }
  | { state: 'loading'; path: string }
  | { state: 'ready'; model: LoadedModel };

/** One message of the conversation, oldest first; the last one is the agent's question. */
export interface ChatMessage {
  role: 'user' | 'assistant';
  text: string;
}

/** One generation. */
export interface GenerateRequest {
  /** System prompt. Kept identical between questions, its evaluated state is reused: only the new part is evaluated. */
  system?: string;
  /** At least one message; the last is `user`. */
  messages: ChatMessage[];
  /** Tokens to generate at most. Default 512; lowered to what the context leaves. Range 1–32,768. */
  maxTokens?: number;
  /** Sampling temperature, 0 (greedy) to 2. Default 0.2: answers from official texts, little invention. */
  temperature?: number;
  /** Sampling seed, for reproducible answers at a temperature above 0. Default: random. */
  seed?: number;
  /** Strings that end the generation when produced (not included in the text). */
  stop?: string[];
}

/** Why a generation ended. */
export type StopReason = 'stop' | 'maxTokens' | 'aborted';

/** Figures of one generation. */
export interface GenerationStats {
  /** Tokens of the whole prompt (system, conversation, question, template). */
  promptTokens: number;
  /** Of these, evaluated by this call; the rest was reused (the previous question's state, a speculative reading). */
  evaluatedPromptTokens: number;
  completionTokens: number;
  /** From the call to the first text chunk, ms (prompt evaluation included); `null` when nothing was generated. */
  timeToFirstTokenMs: number | null;
  /**
   * Of the time to first token, the part spent reading (evaluating) the prompt, ms; the rest is the first token's own
   * computation. Absent when the prompt was not read apart (a generation without a signal).
   */
  promptReadMs?: number;
  durationMs: number;
  /** Completion tokens per second, measured from the first token to the end. */
  tokensPerSecond: number;
}

/** The outcome of one generation. */
export interface GenerationResult {
  text: string;
  reason: StopReason;
  stats: GenerationStats;
  /** Where the text was written when not on this PC: the shared server's `host[:port]`. */
  writtenOn?: string;
  /**
   * Set when the text stopped because the connection failed half-way (reason `aborted`): the partial text is kept,
   * as for a stop, and this French message says why. `code` is the error code it would have been.
   */
  interruption?: { code: string; message: string };
}

/** Options of {@link ModelRuntime.generate}. */
export interface GenerateOptions {
  /** Stops the generation; the result keeps the text so far with reason `aborted`. */
  signal?: AbortSignal;
  /** Each new piece of text as generated. A throwing listener is ignored: it cannot break the generation. */
  onText?: (text: string) => void;
  /** After each step of reading the prompt (about 100 ms): tokens in the context out of the prompt's. Ignored if it throws. */
  onReading?: (progress: ReadingProgress) => void;
}

/** How far a prompt's reading stands. */
export interface ReadingProgress {
  /** Tokens of the prompt in the model's context (kept from before, or read). */
  inContext: number;
  /** Tokens to read in all. */
  total: number;
}

/**
 * A speculative reading: the beginning of a prompt that the agent's question will complete. The last message is
 * the user's, and its text is the part known before the question (system prompt, extracts, « Question de l'agent : »);
 * the question will be appended to it.
 */
export type ReadAheadRequest = Pick<GenerateRequest, 'system' | 'messages'>;

/** Options of {@link ModelRuntime.readAhead}. */
export interface ReadAheadOptions {
  /** Stops the reading between two steps; what was read stays in the context. */
  signal?: AbortSignal;
  /** After each step. A throwing listener is ignored. */
  onProgress?: (progress: ReadingProgress) => void;
}

/** What a speculative reading did, and why it ended. */
export interface ReadAheadResult {
  /**
   * `read`: all of it is in the context; `stopped`: by its signal; `superseded`: by a newer reading; `yielded`: to a
   * real request (a generation, a load); `no-model`: nothing loaded (a reading never loads a model); `busy`: a
   * generation was running.
   */
  state: 'read' | 'stopped' | 'superseded' | 'yielded' | 'no-model' | 'busy';
  /** Tokens of the stable beginning. */
  prefixTokens: number;
  /** Of these, already in the context before (kept: the common prefix with what was there). */
  reusedTokens: number;
  /** Evaluated by this reading. */
  readTokens: number;
  steps: number;
  /** Steps evaluated after a real request asked it to yield: at most the one in progress, 0 or 1. */
  stepsAfterYield: number;
  readingMs: number;
}

/** Options of {@link ModelRuntime.load}. */
export interface LoadControl {
  signal?: AbortSignal;
  /** Load progress, 0–1. A throwing listener is ignored. */
  onProgress?: (fraction: number) => void;
  /**
   * The device comparison of `auto` (a model's first load on a PC with a GPU) starts measuring `device`: it loads the
   * model once more per device, so it is worth telling the agent. A throwing listener is ignored.
   */
  onMeasuring?: (device: ComputeDevice) => void;
}

/**
 * A local chat model runtime. One model at a time; calls are serialised (a generation waits for a load and the
 * reverse). Run the llama.cpp implementation in the engine process only: a malformed file can abort its process.
 */
export interface ModelRuntime {
  /**
   * Loads a chat model, replacing the current one.
   * @throws ModelError `model-not-found`, `model-unreadable`, `model-not-chat`, `model-too-large` (French, with a
   *   smaller context or quantization proposed).
   */
  load(options: LoadModelOptions, control?: LoadControl): Promise<LoadedModel>;
  /** Releases the model and its memory. Nothing loaded: no-op. */
  unload(): Promise<void>;
  status(): RuntimeStatus;
  /**
   * Generates a reply.
   * @throws ModelError `model-not-loaded`, `generation-failed` (prompt longer than the context…).
   */
  generate(request: GenerateRequest, options?: GenerateOptions): Promise<GenerationResult>;
  /**
   * Tokens of a request's whole prompt with the loaded model's tokenizer and chat template: what must fit in the
   * context with the answer. Cheap (no evaluation).
   * @throws ModelError `model-not-loaded`.
   */
  promptTokens(request: GenerateRequest): Promise<number>;
  /**
   * Reads the known beginning of a prompt into the model's context in the background, in ~100 ms steps, so that the
   * generation that follows evaluates only the rest. Never loads a model; yields to {@link generate}, {@link load} and
   * {@link unload} within one step; a newer reading supersedes it and keeps the common prefix. Optional: a runtime
   * without a local context (a remote server) has none.
   */
  readAhead?(request: ReadAheadRequest, options?: ReadAheadOptions): Promise<ReadAheadResult>;
  /** Asks a running speculative reading to yield now (a real request is coming). No reading: no-op. */
  yieldReadAhead?(): void;
  /**
   * Prompt reading speed measured on the loaded model's generations, tokens/s (speculative readings do not change it);
   * `undefined` before any measure.
   */
  readingSpeed?(): number | undefined;
  /** CPU, RAM and GPU backends of this PC. */
  hardware(): Promise<HardwareInfo>;
  /** Releases everything. Safe to call twice; later calls reject. */
  dispose(): Promise<void>;
}
