import type { Llama } from 'node-llama-cpp';
import { type DeviceProbe, deviceModelKey } from './deviceProbe.js';
import type { GgufSummary } from './ggufInspector.js';
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
}

const LABEL: Record<GpuBackend, string> = { vulkan: 'Vulkan', cuda: 'CUDA', metal: 'Metal' };

/**
 * Decides the device of a load from the `runtime.gpu` setting: `cpu`; a named backend (falling back to the CPU with
 * a warning when unusable); or `auto`, where the CPU and every usable GPU are measured on this model once and the
 * outcome is remembered ({@link DeviceProbe}).
 */
export async function decideDevice(
  backends: LlamaBackends,
  probe: DeviceProbe,
  requested: 'auto' | ComputeDevice,
  summary: GgufSummary,
  threads: number,
): Promise<DeviceDecision> {
  const cpu = await backends.cpu();
  if (requested === 'cpu') return { device: 'cpu', llama: cpu, reason: 'Processeur (réglage runtime.gpu = cpu).', warnings: [] };
  if (requested !== 'auto') {
    const info = await probeGpu(backends, requested);
    if (info.usable) {
      return { device: requested, llama: await backends.gpu(requested), gpu: info, reason: `GPU ${LABEL[requested]}${named(info)} (réglage runtime.gpu).`, warnings: [] };
    }
    return {
      device: 'cpu',
      llama: cpu,
      reason: `Processeur : le GPU ${LABEL[requested]} demandé n'est pas utilisable.`,
      warnings: [`Le GPU ${LABEL[requested]} demandé n'est pas utilisable sur ce PC (${info.problem ?? 'aucun périphérique'}) : le modèle tourne sur le processeur.`],
    };
  }
  const usable: GpuInfo[] = [];
  for (const backend of await backends.supportedGpus()) {
    const info = await probeGpu(backends, backend);
    if (info.usable) usable.push(info);
  }
  if (usable.length === 0) return { device: 'cpu', llama: cpu, reason: 'Processeur : aucun GPU compatible détecté.', warnings: [] };

  const { choice, remembered } = await probe.choose(
    deviceModelKey(summary.fileName, summary.sizeBytes),
    usable.map((info) => info.backend),
    async (device) => measureSpeed(backends, { llama: device === 'cpu' ? cpu : await backends.gpu(device), gpuLayers: device === 'cpu' ? 0 : 'auto' }, summary.path, threads),
  );
  const speed = (device: ComputeDevice): number | null => choice.measurements.find((m) => m.device === device)?.tokensPerSecond ?? null;
  const when = remembered ? ` (mesure du ${new Date(choice.measuredAt).toLocaleDateString('fr-FR')})` : '';
  if (choice.device !== 'cpu') {
    const info = usable.find((g) => g.backend === choice.device)!;
    const ratio = (speed(choice.device) ?? 0) / Math.max(speed('cpu') ?? 0, 1e-9);
    return {
      device: choice.device,
      llama: await backends.gpu(choice.device),
      gpu: info,
      reason: `GPU ${LABEL[choice.device]}${named(info)} : mesuré ${ratio.toLocaleString('fr-FR', { maximumFractionDigits: 1 })}× plus rapide que le processeur${when}.`,
      warnings: [],
    };
  }
  const failed = choice.measurements.filter((m) => m.device !== 'cpu' && m.tokensPerSecond === null);
  const reason = failed.length > 0 && failed.length === usable.length
    ? `Processeur : le GPU ${failed.map((m) => LABEL[m.device as GpuBackend]).join(', ')} a échoué à l'essai${when}.`
    : `Processeur : mesuré au moins aussi rapide que le GPU ${usable.map((g) => LABEL[g.backend] + named(g)).join(', ')}${when}.`;
  return { device: 'cpu', llama: cpu, reason, warnings: [] };
}

function named(info: GpuInfo): string {
  return info.devices[0] ? ` (${info.devices[0]})` : '';
}
