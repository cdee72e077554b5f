import { getLlama, getLlamaGpuTypes, type Llama, LlamaLogLevel } from 'node-llama-cpp';

/** A GPU backend llama.cpp can run on. */
export type GpuBackend = 'vulkan' | 'cuda' | 'metal';

/** Lines of llama.cpp's log kept to explain a failure (it says why there, not in the exception). */
const LOG_LINES = 40;

/**
 * The llama.cpp instances of the engine process, one per backend, created on first use and kept: creating one
 * loads native libraries, and disposing one tears down bindings other users (the GGUF embedder) may share.
 * Always `build: 'never'`: nothing is compiled or downloaded at run time.
 */
export class LlamaBackends {
  private readonly instances = new Map<GpuBackend | 'cpu', Promise<Llama>>();
  private readonly log: string[] = [];
  private supported: Promise<GpuBackend[]> | undefined;

  /** The CPU instance. `maxThreads: 0` so a context's `threads` is the exact count used, not a hint. */
  cpu(): Promise<Llama> {
    return this.instance('cpu');
  }

  /**
   * The instance of a GPU backend. Rejects when its binaries or drivers are missing, or when node-llama-cpp fell back
   * to another backend (then the GPU is not usable as asked).
   */
  gpu(backend: GpuBackend): Promise<Llama> {
    return this.instance(backend);
  }

  /** GPU backends whose binaries and drivers are present on this machine (none on a CPU-only PC). */
  supportedGpus(): Promise<GpuBackend[]> {
    this.supported ??= getLlamaGpuTypes('supported')
      .then((types) => types.filter((type): type is GpuBackend => type !== false))
      .catch(() => []);
    return this.supported;
  }

  /** The last llama.cpp log lines (warnings and errors), oldest first. */
  recentLog(): string[] {
    return [...this.log];
  }

  /** Forgets the log lines (before a load, so that its failure is explained by its own lines). */
  clearLog(): void {
    this.log.length = 0;
  }

  /** Disposes every instance. Only at the end of the process. Safe to call twice. */
  async dispose(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.allSettled(all.map(async (pending) => (await pending).dispose()));
  }

  private instance(kind: GpuBackend | 'cpu'): Promise<Llama> {
    let pending = this.instances.get(kind);
    if (!pending) {
      pending = this.create(kind);
      // A failed backend may succeed later (a driver installed meanwhile): do not cache the failure.
      pending.catch(() => this.instances.delete(kind));
      this.instances.set(kind, pending);
    }
    return pending;
  }

  private async create(kind: GpuBackend | 'cpu'): Promise<Llama> {
    const llama = await getLlama({
      build: 'never',
      gpu: kind === 'cpu' ? false : kind,
      maxThreads: 0,
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => this.record(level, message),
      progressLogs: false,
    });
    if (kind !== 'cpu' && llama.gpu !== kind) {
      await llama.dispose();
      throw new Error(`backend ${kind} indisponible (llama.cpp a choisi ${String(llama.gpu)})`);
    }
    return llama;
  }

  private record(level: LlamaLogLevel, message: string): void {
    if (level !== LlamaLogLevel.error && level !== LlamaLogLevel.warn && level !== LlamaLogLevel.fatal) return;
    const line = message.trim();
    if (!line) return;
    this.log.push(line);
    if (this.log.length > LOG_LINES) this.log.shift();
  }
}
