import { join } from 'node:path';
import type { GpuBackend } from './llamaBackends.js';
import { JsonRecordFile } from './jsonRecordFile.js';
import type { ComputeDevice } from './modelRuntime.js';

/** The speeds of one device on one model. */
export interface DeviceSpeed {
  /** Generation (writing the answer). */
  tokensPerSecond: number;
  /** Prompt evaluation (reading the question and its extracts), where GPUs gain most. */
  promptTokensPerSecond: number;
}

/** One device's measured speeds; `tokensPerSecond` is `null` when it failed (`error`, technical). */
export interface DeviceMeasurement {
  device: ComputeDevice;
  tokensPerSecond: number | null;
  /** Absent in choices recorded before it was measured. */
  promptTokensPerSecond?: number;
  error?: string;
  /** The engine process died during the attempt (llama.cpp aborted): the device is not tried again by itself. */
  crashed?: boolean;
}

/** The device chosen for one model, with the figures that decided it. */
export interface DeviceChoice {
  device: ComputeDevice;
  /** ISO date of the measurement. */
  measuredAt: string;
  measurements: DeviceMeasurement[];
}

/** Measures one device on the model: a prompt read, then a short generation. Throws when the device fails. */
export type DeviceMeasurer = (device: ComputeDevice) => Promise<DeviceSpeed>;

/**
 * The work a device is chosen for: one question with its extracts (about 1,800 tokens of prompt with the default
 * budget of 1,200 tokens of extracts) and a drafted answer of about 250 tokens.
 */
export const TYPICAL_ANSWER = { promptTokens: 1800, answerTokens: 250 } as const;

/** Seconds a typical answer takes at these speeds; `Infinity` for a failed measurement. */
export function typicalAnswerSeconds(measurement: Pick<DeviceMeasurement, 'tokensPerSecond' | 'promptTokensPerSecond'>): number {
  const { tokensPerSecond, promptTokensPerSecond } = measurement;
  if (tokensPerSecond === null || tokensPerSecond <= 0) return Number.POSITIVE_INFINITY;
  const reading = promptTokensPerSecond && promptTokensPerSecond > 0 ? TYPICAL_ANSWER.promptTokens / promptTokensPerSecond : 0;
  return reading + TYPICAL_ANSWER.answerTokens / tokensPerSecond;
}

/** Where a data dir keeps the device choices. */
export function deviceChoiceFile(dataDir: string): string {
  return join(dataDir, 'models', 'device-choices.json');
}

/** The key of a model in the store: its file name and size (a re-downloaded or other quantization is re-measured). */
export function deviceModelKey(fileName: string, sizeBytes: number): string {
  return `${fileName}:${sizeBytes}`;
}

/** Device choices per model, in one JSON file of the data dir (`models/device-choices.json`), written atomically. */
export class DeviceChoiceStore {
  private readonly records: JsonRecordFile<DeviceChoice>;

  constructor(file: string) {
    this.records = new JsonRecordFile(file);
  }

  get(key: string): Promise<DeviceChoice | undefined> {
    return this.records.get(key);
  }

  set(key: string, choice: DeviceChoice): Promise<void> {
    return this.records.update((all) => {
      all[key] = choice;
    });
  }

  /** Forgets the choice of one model: the next load measures again. */
  forget(key: string): Promise<void> {
    return this.records.update((all) => delete all[key]);
  }
}

/**
 * Chooses between the CPU and the GPU backends for a model by measuring them once, at its first load, and remembers
 * the outcome. Integrated GPUs are where runtimes fail most (Vulkan on an iGPU slower or unstable than the CPU, or
 * an iGPU ignored): a GPU is chosen only when it runs, and clearly faster than the CPU.
 */
export class DeviceProbe {
  /**
   * @param store where choices are remembered.
   * @param gpuAdvantage how much faster than the CPU a GPU must be to be chosen. Default 1.15 (15 % faster), range ≥ 1.
   */
  constructor(
    private readonly store: DeviceChoiceStore,
    private readonly gpuAdvantage = 1.15,
  ) {}

  /** The remembered choice for this model, or a fresh measurement of the CPU and `candidates` (then remembered). */
  async choose(modelKey: string, candidates: readonly GpuBackend[], measure: DeviceMeasurer): Promise<{ choice: DeviceChoice; remembered: boolean }> {
    const known = await this.store.get(modelKey);
    if (known && (known.device === 'cpu' || candidates.includes(known.device))) return { choice: known, remembered: true };
    const measurements: DeviceMeasurement[] = [];
    for (const device of ['cpu', ...candidates] as ComputeDevice[]) {
      try {
        measurements.push({ device, ...(await measure(device)) });
      } catch (error) {
        measurements.push({ device, tokensPerSecond: null, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const choice: DeviceChoice = { device: this.pick(measurements), measuredAt: new Date().toISOString(), measurements };
    await this.store.set(modelKey, choice);
    return { choice, remembered: false };
  }

  /** The remembered choice of a model, if any. */
  remembered(modelKey: string): Promise<DeviceChoice | undefined> {
    return this.store.get(modelKey);
  }

  /** Records that a GPU crashed the engine on this model: the CPU is chosen from now on, until {@link forget}. */
  async recordCrash(modelKey: string, device: GpuBackend, at: string): Promise<void> {
    const measurements = ((await this.store.get(modelKey))?.measurements ?? []).filter((m) => m.device !== device);
    measurements.push({ device, tokensPerSecond: null, error: "le moteur s'est arrêté pendant l'essai (llama.cpp a interrompu le processus)", crashed: true });
    await this.store.set(modelKey, { device: 'cpu', measuredAt: at, measurements });
  }

  /** Forgets what was measured or recorded for this model: the next load measures again. */
  forget(modelKey: string): Promise<void> {
    return this.store.forget(modelKey);
  }

  /** The GPU with the fastest typical answer if it beats the CPU's by {@link gpuAdvantage}, else the CPU. */
  pick(measurements: readonly DeviceMeasurement[]): ComputeDevice {
    const cpu = measurements.find((m) => m.device === 'cpu');
    const cpuSeconds = cpu ? typicalAnswerSeconds(cpu) : Number.POSITIVE_INFINITY;
    let best: { device: ComputeDevice; seconds: number } | undefined;
    for (const m of measurements) {
      const seconds = typicalAnswerSeconds(m);
      if (m.device === 'cpu' || !Number.isFinite(seconds)) continue;
      if (!best || seconds < best.seconds) best = { device: m.device, seconds };
    }
    return best && best.seconds * this.gpuAdvantage <= cpuSeconds ? best.device : 'cpu';
  }
}
