import { join } from 'node:path';
import { JsonRecordFile } from './jsonRecordFile.js';
import type { GpuBackend } from './llamaBackends.js';

/** A GPU attempt on one model (a measurement or a load) as recorded when it started. */
export interface GpuAttempt {
  device: GpuBackend;
  fileName: string;
  pid: number;
  /** ISO date. */
  startedAt: string;
}

/** Where a data dir keeps the GPU attempts in progress. */
export function gpuAttemptFile(dataDir: string): string {
  return join(dataDir, 'models', 'gpu-attempts.json');
}

/** Lines the engine writes to its error output around a GPU attempt, read back by the host when the engine dies. */
const START = '[guichet] essai GPU ';
const END = "[guichet] fin de l'essai GPU";

/**
 * Remembers the GPU attempts in progress, so that an engine death during one is known afterwards. An unstable GPU
 * driver (an integrated GPU's Vulkan, typically) does not throw: llama.cpp aborts its process. The journal (a file
 * of the data dir) tells the next engine process which model crashed on which GPU, and lines on the error output
 * tell the host at once ({@link unfinishedGpuAttempt}).
 */
export class GpuAttemptJournal {
  private readonly records: JsonRecordFile<GpuAttempt>;

  constructor(
    file: string,
    private readonly options: { isAlive?: (pid: number) => boolean; announce?: (line: string) => void } = {},
  ) {
    this.records = new JsonRecordFile(file);
  }

  /** Runs `work` on `device` for the model `key`, recorded as an attempt in progress while it runs. */
  async run<T>(key: string, attempt: { device: GpuBackend; fileName: string }, work: () => Promise<T>): Promise<T> {
    await this.records.update((all) => {
      all[key] = { ...attempt, pid: process.pid, startedAt: new Date().toISOString() };
    });
    this.announce(`${START}${attempt.device} : ${attempt.fileName}`);
    try {
      return await work();
    } finally {
      this.announce(END);
      await this.records.update((all) => delete all[key]).catch(() => {});
    }
  }

  /** The attempt on this model that an engine process died during, if any; forgotten once read. */
  async takeCrashed(key: string): Promise<GpuAttempt | undefined> {
    const attempt = await this.records.get(key);
    if (!attempt || attempt.pid === process.pid || (this.options.isAlive ?? isAlive)(attempt.pid)) return undefined;
    await this.records.update((all) => delete all[key]);
    return attempt;
  }

  private announce(line: string): void {
    // Synchronous on Linux pipes: the line is out before llama.cpp can abort the process.
    (this.options.announce ?? ((text: string) => process.stderr.write(`${text}\n`)))(line);
  }
}

/** The GPU attempt a dead engine's error output shows started and not ended: `vulkan`, `model.gguf`. */
export function unfinishedGpuAttempt(stderrTail: string): { device: string; fileName: string } | undefined {
  const start = stderrTail.lastIndexOf(START);
  if (start < 0 || stderrTail.lastIndexOf(END) > start) return undefined;
  const match = /^(\S+) : (.+)$/m.exec(stderrTail.slice(start + START.length));
  return match ? { device: match[1]!, fileName: match[2]!.trim() } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
