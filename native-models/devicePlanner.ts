import type { Llama } from 'node-llama-cpp';
import { type DeviceChoice, type DeviceProbe, deviceModelKey, typicalAnswerSeconds } from './deviceProbe.js';
import type { GgufSummary } from './ggufInspector.js';
import type { GpuAttemptJournal } from './gpuAttemptJournal.js';
import { type GpuInfo, probeGpu } from './hardware.js';
import type { GpuBackend, LlamaBackends } from './llamaBackends.js';
import { measureSpeed } from './llamaLoader.js';
import type { ComputeDevice } from './modelRuntime.js';

/** Where to load a model, and the French sentence that says why. */
export interface DeviceDecision {
  device: ComputeDevice;
  llama: Llama;
  gpu?: GpuInfo;
  reason: string;
  warnings: string[];
  /** The key of the model in the device stores. */
  modelKey: string;
}

/** What remembers devices per model: measured choices, and GPU attempts in progress. */
export interface DeviceMemory {
  probe: DeviceProbe;
  journal: GpuAttemptJournal;
}

const LABEL: Record<GpuBackend, string> = { vulkan: 'Vulkan', cuda: 'CUDA', metal: 'Metal' };

/**
 * Decides the device of a load from the `runtime.gpu` setting: `cpu`; a named backend (falling back to the CPU with
 * a warning when unusable); or `auto`, where the CPU and every usable GPU are measured on this model once and the
 * outcome is remembered ({@link DeviceProbe}).
 */
export async function decideDevice(
  backends: LlamaBackends,
  memory: DeviceMemory,
  requested: 'auto' | ComputeDevice,
  summary: GgufSummary,
  threads: number,
  onMeasuring: (device: ComputeDevice) => void = () => {},
): Promise<DeviceDecision> {
  const modelKey = deviceModelKey(summary.fileName, summary.sizeBytes);
  const cpu = await backends.cpu();
  const onCpu = (reason: string, warnings: string[] = []): DeviceDecision => ({ device: 'cpu', llama: cpu, reason, warnings, modelKey });
  if (requested === 'cpu') return onCpu('Processeur (réglage runtime.gpu = cpu).');
  const crash = await memory.journal.takeCrashed(modelKey);
  if (crash) await memory.probe.recordCrash(modelKey, crash.device, crash.startedAt);
  const crashed = crashedGpu(await memory.probe.remembered(modelKey), requested);
  if (crashed) {
    const when = new Date(crashed.at).toLocaleDateString('fr-FR');
    const warning = `Le GPU ${LABEL[crashed.device]} a arrêté le moteur lors d'un essai avec ce modèle (${when}) : le modèle tourne sur le processeur. Pour réessayer le GPU : guichet models test ${summary.fileName} --remesurer.`;
    // Said once in `auto`; every time when the setting asks for that GPU and is not obeyed.
    return onCpu(`Processeur : le GPU ${LABEL[crashed.device]} a arrêté le moteur lors d'un essai avec ce modèle (${when}).`, crash || requested !== 'auto' ? [warning] : []);
  }
  if (requested !== 'auto') {
    const info = await probeGpu(backends, requested);
    if (info.usable) {
      return { device: requested, llama: await backends.gpu(requested), gpu: info, reason: `GPU ${LABEL[requested]}${named(info)} (réglage runtime.gpu).`, warnings: [], modelKey };
    }
    return onCpu(`Processeur : le GPU ${LABEL[requested]} demandé n'est pas utilisable.`, [
      `Le GPU ${LABEL[requested]} demandé n'est pas utilisable sur ce PC (${info.problem ?? 'aucun périphérique'}) : le modèle tourne sur le processeur.`,
    ]);
  }
  const usable: GpuInfo[] = [];
  for (const backend of await backends.supportedGpus()) {
    const info = await probeGpu(backends, backend);
    if (info.usable) usable.push(info);
  }
  if (usable.length === 0) return onCpu('Processeur : aucun GPU compatible détecté.');

  const { choice, remembered } = await memory.probe.choose(modelKey, usable.map((info) => info.backend), async (device) => {
    try {
      onMeasuring(device);
    } catch {
      // A listener cannot break a load.
    }
    if (device === 'cpu') return measureSpeed(backends, { llama: cpu, gpuLayers: 0 }, summary.path, threads);
    const gpu = await backends.gpu(device);
    return memory.journal.run(modelKey, { device, fileName: summary.fileName }, () => measureSpeed(backends, { llama: gpu, gpuLayers: 'auto' }, summary.path, threads));
  });
  const seconds = (device: ComputeDevice): number => {
    const measured = choice.measurements.find((m) => m.device === device);
    return measured ? typicalAnswerSeconds(measured) : Number.POSITIVE_INFINITY;
  };
  const when = remembered ? ` (mesure du ${new Date(choice.measuredAt).toLocaleDateString('fr-FR')})` : '';
  if (choice.device !== 'cpu') {
    const info = usable.find((g) => g.backend === choice.device)!;
    const ratio = seconds('cpu') / seconds(choice.device);
    return {
      device: choice.device,
      llama: await backends.gpu(choice.device),
      gpu: info,
      reason: `GPU ${LABEL[choice.device]}${named(info)} : mesuré ${ratio.toLocaleString('fr-FR', { maximumFractionDigits: 1 })}× plus rapide que le processeur pour une réponse type${when}.`,
      warnings: [],
      modelKey,
    };
  }
  const failed = choice.measurements.filter((m) => m.device !== 'cpu' && m.tokensPerSecond === null);
  return onCpu(
    failed.length > 0 && failed.length === usable.length
      ? `Processeur : le GPU ${failed.map((m) => LABEL[m.device as GpuBackend]).join(', ')} a échoué à l'essai${when}.`
      : `Processeur : mesuré au moins aussi rapide que le GPU ${usable.map((g) => LABEL[g.backend] + named(g)).join(', ')}${when}.`,
  );
}

/** The GPU that crashed the engine on this model, when it is the one asked for (or `auto`). */
function crashedGpu(choice: DeviceChoice | undefined, requested: 'auto' | GpuBackend): { device: GpuBackend; at: string } | undefined {
  const crash = choice?.measurements.find((m) => m.crashed && (requested === 'auto' || m.device === requested));
  return crash && choice ? { device: crash.device as GpuBackend, at: choice.measuredAt } : undefined;
}

function named(info: GpuInfo): string {
  return info.devices[0] ? ` (${info.devices[0]})` : '';
}
