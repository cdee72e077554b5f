import { join } from 'node:path';
import type { GpuBackend } from './llamaBackends.js';
import { JsonRecordFile } from './jsonRecordFile.js';
import type { ComputeDevice } from './modelRuntime.js';

/** One device's measured generation speed; `tokensPerSecond` is `null` when it failed (`error`, technical). */
export interface DeviceMeasurement {
  device: ComputeDevice;
  tokensPerSecond: number | null;
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

/** Measures one device on the model: tokens per second of a short generation. Throws when the device fails. */
export type DeviceMeasurer = (device: ComputeDevice) => Promise<number>;

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
        measurements.push({ device, tokensPerSecond: await measure(device) });
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

  /** The fastest GPU if it beats the CPU by {@link gpuAdvantage}, else the CPU. */
  pick(measurements: readonly DeviceMeasurement[]): ComputeDevice {
    const cpu = measurements.find((m) => m.device === 'cpu')?.tokensPerSecond ?? 0;
    let best: DeviceMeasurement | undefined;
    for (const m of measurements) {
      if (m.device === 'cpu' || m.tokensPerSecond === null) continue;
      if (!best || m.tokensPerSecond > (best.tokensPerSecond ?? 0)) best = m;
    }
    return best && (best.tokensPerSecond ?? 0) >= cpu * this.gpuAdvantage ? best.device : 'cpu';
  }
}
