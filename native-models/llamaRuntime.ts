import { freemem } from 'node:os';
import { LlamaChat, type LlamaContext, type LlamaModel, type LlamaModelOptions } from 'node-llama-cpp';
import { resolveChatFormat } from './chatFormat.js';
import { decideDevice, type DeviceDecision } from './devicePlanner.js';
import { deviceChoiceFile, DeviceChoiceStore, DeviceProbe } from './deviceProbe.js';
import { gpuAttemptFile, GpuAttemptJournal } from './gpuAttemptJournal.js';
import { countPromptTokens, runGeneration } from './generation.js';
import { type GgufSummary, inspectGguf } from './ggufInspector.js';
import { detectHardware, type HardwareInfo } from './hardware.js';
import { LlamaBackends } from './llamaBackends.js';
import { createContext, loadWeights, type Placement } from './llamaLoader.js';
import { chooseGpuLayers, gpuBudget, planMemory, type PreflightPlan } from './memoryPreflight.js';
import { ModelError } from './modelError.js';
import type {
  GenerateOptions,
  GenerateRequest,
  GenerationResult,
  LoadControl,
  LoadedModel,
  LoadModelOptions,
  ModelRuntime,
  ReadAheadOptions,
  ReadAheadRequest,
  ReadAheadResult,
  RuntimeStatus,
} from './modelRuntime.js';
import { idleReadAhead, runReadAhead, type Speculation, stopSpeculation } from './readAhead.js';
import { ReadingSpeed } from './readingSpeed.js';
import { chooseThreads } from './threads.js';

/** What {@link LlamaRuntime} is built from. */
export interface LlamaRuntimeDeps {
  backends: LlamaBackends;
  probe: DeviceProbe;
  journal: GpuAttemptJournal;
  /** Free RAM in bytes now. Default `os.freemem()` (MemAvailable on Linux, available physical memory on Windows). */
  freeRamBytes?: () => number;
}

interface Placed {
  model: LlamaModel;
  context: LlamaContext;
  device: DeviceDecision['device'];
  plan: PreflightPlan;
  reason: string;
  warnings: string[];
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  chat: LlamaChat;
  info: LoadedModel;
}

/**
 * {@link ModelRuntime} on node-llama-cpp: inspection, pre-flight, device choice, load with GPU→CPU fallback, and
 * one chat bound to one context sequence kept between questions (prefix reuse).
 */
export class LlamaRuntime implements ModelRuntime {
  private current: Loaded | undefined;
  private loadingPath: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Real requests (loads, generations) queued or running: a speculative reading never waits behind one. */
  private pending = 0;
  private speculation: Speculation | undefined;
  private readonly speed = new ReadingSpeed();

  constructor(private readonly deps: LlamaRuntimeDeps) {}

  load(options: LoadModelOptions, control: LoadControl = {}): Promise<LoadedModel> {
    return this.real(() => this.doLoad(options, control));
  }

  unload(): Promise<void> {
    return this.real(() => this.release());
  }

  status(): RuntimeStatus {
    if (this.loadingPath !== undefined) return { state: 'loading', path: this.loadingPath };
    return this.current ? { state: 'ready', model: this.current.info } : { state: 'empty' };
  }

  generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerationResult> {
    return this.real(async () => {
      if (options.signal?.aborted) return emptyResult();
      const loaded = this.current;
      if (!loaded) throw new ModelError('model-not-loaded', "Aucun modèle de langage n'est chargé : choisissez un modèle (guichet models list).");
      return runGeneration(loaded.chat, loaded.model, loaded.info.contextSize, request, options, this.speed.record);
    });
  }

  readAhead(request: ReadAheadRequest, options: ReadAheadOptions = {}): Promise<ReadAheadResult> {
    if (this.disposed || !this.current || this.loadingPath !== undefined) return Promise.resolve(idleReadAhead('no-model'));
    if (this.pending > 0) return Promise.resolve(idleReadAhead('busy'));
    stopSpeculation(this.speculation, 'superseded');
    const speculation: Speculation = { controller: new AbortController(), steps: 0 };
    this.speculation = speculation;
    return this.exclusive(async () => {
      const loaded = this.current;
      try {
        if (!loaded) return idleReadAhead('no-model');
        if (speculation.stop) return { ...idleReadAhead(speculation.stop.reason) };
        // The speed is measured on generations only: the extracts' budget follows it, and must not change between a
        // reading and the question it prepares.
        return await runReadAhead(loaded.chat, loaded.model, request, speculation, options);
      } finally {
        if (this.speculation === speculation) this.speculation = undefined;
      }
    });
  }

  yieldReadAhead(): void {
    stopSpeculation(this.speculation, 'yielded');
  }

  readingSpeed(): number | undefined {
    return this.speed.tokensPerSecond();
  }

  async promptTokens(request: GenerateRequest): Promise<number> {
    const loaded = this.current;
    if (!loaded) throw new ModelError('model-not-loaded', "Aucun modèle de langage n'est chargé : choisissez un modèle (guichet models list).");
    return countPromptTokens(loaded.chat, loaded.model, request);
  }

  hardware(): Promise<HardwareInfo> {
    return detectHardware(this.deps.backends);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => {});
    await this.release();
    await this.deps.backends.dispose();
  }

  private async doLoad(options: LoadModelOptions, control: LoadControl): Promise<LoadedModel> {
    this.loadingPath = options.path;
    try {
      const summary = await inspectGguf(options.path);
      if (summary.kind === 'embedding') {
        throw new ModelError(
          'model-not-chat',
          `Le modèle ${summary.fileName} est un modèle d'embeddings (recherche sémantique) : il ne sait pas rédiger de réponse. Choisissez un modèle de conversation (« Instruct »).`,
          { file: summary.path, cause: { architecture: summary.architecture } },
        );
      }
      control.signal?.throwIfAborted();
      // Refuse a model that cannot fit even once the current one is gone, before unloading the current one.
      const reclaimable = this.current?.info.memory.totalBytes ?? 0;
      planMemory(summary.shape, { freeRamBytes: (this.deps.freeRamBytes ?? freemem)() + reclaimable }, { requestedContext: options.contextSize, fileName: summary.fileName });
      // Free the previous model first: its memory is what the new one's pre-flight needs.
      await this.release();
      const cpu = await this.deps.backends.cpu();
      const threads = chooseThreads(options.threads, cpu.cpuMathCores);
      const decision = await decideDevice(this.deps.backends, { probe: this.deps.probe, journal: this.deps.journal }, options.gpu ?? 'auto', summary, threads.threads, control.onMeasuring);
      const started = performance.now();
      const placed = await this.place(summary, decision, { ...options, threads: threads.threads }, control);
      const { context } = placed;
      const format = resolveChatFormat(placed.model, summary.fileName);
      const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: format.wrapper });
      const info: LoadedModel = {
        path: summary.path,
        fileName: summary.fileName,
        name: summary.name,
        architecture: summary.architecture,
        quantization: summary.quantization,
        contextSize: context.contextSize,
        trainContextSize: summary.shape.trainContext,
        threads,
        device: {
          device: placed.device,
          gpuLayers: placed.model.gpuLayers,
          totalLayers: summary.shape.layers + 1,
          ...(placed.device !== 'cpu' && decision.gpu?.devices[0] ? { gpuName: decision.gpu.devices[0] } : {}),
          reason: placed.reason,
        },
        chatFormat: format.format,
        memory: placed.plan.estimate,
        loadMs: performance.now() - started,
        warnings: [...decision.warnings, ...placed.warnings, ...placed.plan.notes, ...(threads.capped ? [threads.explanation] : []), ...(format.warning ? [format.warning] : [])],
      };
      this.current = { model: placed.model, context, chat, info };
      this.speed.reset();
      return info;
    } finally {
      this.loadingPath = undefined;
    }
  }

  /**
   * Plans memory for the decided device and loads the weights and the context there, falling back to the CPU if the
   * GPU fails. A GPU load is journaled: if llama.cpp aborts the process during it, the next load goes to the CPU.
   */
  private async place(summary: GgufSummary, decision: DeviceDecision, options: LoadModelOptions & { threads: number }, control: LoadControl): Promise<Placed> {
    const freeRamBytes = (this.deps.freeRamBytes ?? freemem)();
    const shape = summary.shape;
    const cpuPlan = (): PreflightPlan => planMemory(shape, { freeRamBytes }, { requestedContext: options.contextSize, fileName: summary.fileName });
    if (decision.device !== 'cpu' && decision.gpu) {
      const gpu = decision.device;
      const budget = gpuBudget(decision.gpu, options.gpuMemoryMiB);
      const layersFor = (contextSize: number): number =>
        budget ? chooseGpuLayers(shape, contextSize, budget.bytes, budget.capped ? 0 : undefined) : shape.layers + 1;
      const plan = planMemory(shape, { freeRamBytes, freeVramBytes: budget?.bytes ?? 0 }, {
        requestedContext: options.contextSize,
        gpuFraction: budget ? layersFor(options.contextSize ?? 4096) / (shape.layers + 1) : 0,
        fileName: summary.fileName,
      });
      const max = layersFor(plan.contextSize);
      const gpuLayers: LlamaModelOptions['gpuLayers'] = { max, fitContext: { contextSize: plan.contextSize } };
      try {
        const loaded = await this.deps.journal.run(decision.modelKey, { device: gpu, fileName: summary.fileName }, () =>
          this.loadAndCreate(summary, { llama: decision.llama, gpuLayers }, plan, options.threads, control),
        );
        return { ...loaded, device: gpu, plan, reason: decision.reason, warnings: [] };
      } catch (error) {
        if (control.signal?.aborted || (error instanceof ModelError && error.code !== 'model-too-large' && error.code !== 'model-unreadable')) throw error;
        const why = error instanceof Error ? error.message : String(error);
        const plan = cpuPlan();
        const loaded = await this.loadAndCreate(summary, { llama: await this.deps.backends.cpu(), gpuLayers: 0 }, plan, options.threads, control);
        return {
          ...loaded,
          device: 'cpu',
          plan,
          reason: `Processeur : le chargement sur le GPU ${gpu} a échoué.`,
          warnings: [`Le chargement sur le GPU a échoué (${why}) : le modèle tourne sur le processeur.`],
        };
      }
    }
    const plan = cpuPlan();
    const loaded = await this.loadAndCreate(summary, { llama: decision.llama, gpuLayers: 0 }, plan, options.threads, control);
    return { ...loaded, device: 'cpu', plan, reason: decision.reason, warnings: [] };
  }

  /** The weights, then the context (the KV cache, where a GPU runs out of memory or aborts most often). */
  private async loadAndCreate(
    summary: GgufSummary,
    placement: Placement,
    plan: PreflightPlan,
    threads: number,
    control: LoadControl,
  ): Promise<{ model: LlamaModel; context: LlamaContext }> {
    const model = await loadWeights(this.deps.backends, placement, summary.path, summary.fileName, control);
    try {
      const context = await createContext(this.deps.backends, model, { contextSize: plan.contextSize, threads, fileName: summary.fileName, path: summary.path });
      return { model, context };
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  private async release(): Promise<void> {
    const loaded = this.current;
    this.current = undefined;
    if (!loaded) return;
    loaded.chat.dispose();
    await loaded.context.dispose();
    await loaded.model.dispose();
  }

  /** A request of the agent's: any speculative reading yields to it (between two of its steps). */
  private real<T>(work: () => Promise<T>): Promise<T> {
    this.yieldReadAhead();
    this.pending++;
    return this.exclusive(work).finally(() => {
      this.pending--;
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new ModelError('engine-unavailable', 'Le moteur du modèle est arrêté.'));
    const run = this.queue.catch(() => {}).then(work);
    this.queue = run.catch(() => {});
    return run;
  }
}

/**
 * Builds the llama.cpp runtime of a process: its backends and the device choices remembered in
 * `<dataDir>/models/device-choices.json`. Composition code only (the engine's entry, the benchmark).
 */
export function createLlamaRuntime(options: { dataDir: string }): LlamaRuntime {
  const store = new DeviceChoiceStore(deviceChoiceFile(options.dataDir));
  const journal = new GpuAttemptJournal(gpuAttemptFile(options.dataDir));
  return new LlamaRuntime({ backends: new LlamaBackends(), probe: new DeviceProbe(store), journal });
}

function emptyResult(): GenerationResult {
  return {
    text: '',
    reason: 'aborted',
    stats: { promptTokens: 0, evaluatedPromptTokens: 0, completionTokens: 0, timeToFirstTokenMs: null, durationMs: 0, tokensPerSecond: 0 },
  };
}
