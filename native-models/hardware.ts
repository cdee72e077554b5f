import { arch, cpus, freemem, platform, totalmem } from 'node:os';
import type { GpuBackend, LlamaBackends } from './llamaBackends.js';

/** One GPU backend as found on this PC. */
export interface GpuInfo {
  backend: GpuBackend;
  /** The backend loaded and reports a device. */
  usable: boolean;
  /** Device names, e.g. « Intel(R) UHD Graphics 620 ». */
  devices: string[];
  vramTotalBytes: number;
  vramFreeBytes: number;
  /**
   * The GPU shares the system RAM (integrated GPU, Apple silicon): offloading saves no memory and is not always
   * faster, hence the measured comparison of {@link DeviceProbe}.
   */
  unifiedMemory: boolean;
  /** Why the backend is not usable (technical), when it is not. */
  problem?: string;
}

/** The machine as llama.cpp sees it. */
export interface HardwareInfo {
  platform: string;
  arch: string;
  cpu: {
    model: string;
    logicalCores: number;
    /** Cores llama.cpp uses for math (physical, performance cores). */
    physicalCores: number;
    /** Instruction sets llama.cpp's CPU backend uses: `AVX2`, `AVX512`, `FMA`, `NEON`… */
    instructionSets: string[];
  };
  ram: { totalBytes: number; freeBytes: number };
  gpus: GpuInfo[];
  llamaCpp: { release: string; binary: 'prebuilt' | 'localBuild' };
}

/**
 * Detects CPU, RAM and GPU backends. Loading a GPU backend takes a moment and is done once per engine process
 * (the instances are kept by {@link LlamaBackends}).
 */
export async function detectHardware(backends: LlamaBackends): Promise<HardwareInfo> {
  const cpu = await backends.cpu();
  const gpus: GpuInfo[] = [];
  for (const backend of await backends.supportedGpus()) gpus.push(await probeGpu(backends, backend));
  return {
    platform: platform(),
    arch: arch(),
    cpu: {
      model: cpus()[0]?.model.trim() ?? 'inconnu',
      logicalCores: cpus().length,
      physicalCores: Math.max(1, cpu.cpuMathCores),
      instructionSets: parseInstructionSets(cpu.systemInfo),
    },
    ram: { totalBytes: totalmem(), freeBytes: freemem() },
    gpus,
    llamaCpp: { release: cpu.llamaCppRelease.release, binary: cpu.buildType },
  };
}

/** Reads the GPU's memory through its backend; a backend that fails to load is reported, not thrown. */
export async function probeGpu(backends: LlamaBackends, backend: GpuBackend): Promise<GpuInfo> {
  try {
    const llama = await backends.gpu(backend);
    const vram = await llama.getVramState();
    const devices = await llama.getGpuDeviceNames();
    return {
      backend,
      usable: devices.length > 0 || vram.total > 0,
      devices,
      vramTotalBytes: vram.total,
      vramFreeBytes: vram.free,
      unifiedMemory: vram.unifiedSize > 0,
    };
  } catch (error) {
    return {
      backend,
      usable: false,
      devices: [],
      vramTotalBytes: 0,
      vramFreeBytes: 0,
      unifiedMemory: false,
      problem: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Build features llama.cpp lists beside the instruction sets. */
const NOT_INSTRUCTION_SETS = new Set(['LLAMAFILE', 'REPACK', 'OPENMP', 'KLEIDIAI', 'ACCELERATE']);

/** `"CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 0 | …"` → `["SSE3", "AVX2"]`: the sets llama.cpp reports as used. */
export function parseInstructionSets(systemInfo: string): string[] {
  const found = new Set<string>();
  for (const match of systemInfo.matchAll(/([A-Z][A-Z0-9_]*)\s*=\s*1\b/g)) {
    if (!NOT_INSTRUCTION_SETS.has(match[1]!)) found.add(match[1]!);
  }
  return [...found];
}
