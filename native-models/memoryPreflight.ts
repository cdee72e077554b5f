import type { GpuInfo } from './hardware.js';
import { frenchCount, frenchGib } from './frenchFigures.js';
import { ModelError } from './modelError.js';

/** The shape of a model that decides its memory needs, read from the GGUF metadata. */
export interface ModelShape {
  /** Size of the weights in bytes: the file's size (the weights are mapped from it). */
  weightsBytes: number;
  /** Transformer blocks (`<arch>.block_count`). */
  layers: number;
  /** Attention heads (`<arch>.attention.head_count`). */
  heads: number;
  /** Key/value heads (`<arch>.attention.head_count_kv`, defaults to `heads`); fewer with grouped-query attention. */
  kvHeads: number;
  /** Dimension of one head (`<arch>.attention.key_length`, else embedding length / heads). */
  headDim: number;
  /** Vocabulary size: the logits buffer is one row of it per batched token. */
  vocabSize: number;
  /** Context the model was trained with; a longer context is refused. */
  trainContext: number;
}

/** Bytes of one KV cache element: llama.cpp keeps keys and values in F16 by default. */
const KV_ELEMENT_BYTES = 2;
/** Tokens evaluated per batch (node-llama-cpp's default `batchSize`). */
const BATCH_TOKENS = 512;
/** llama.cpp's own buffers, graph and the engine process's JavaScript heap. */
const FIXED_OVERHEAD_BYTES = 160 * 2 ** 20;
/**
 * Memory left to the rest of the PC. The agent keeps a browser and office software open; below this, Windows starts
 * paging and the whole PC freezes, which is worse than refusing to load.
 */
export const SYSTEM_RESERVE_BYTES = 768 * 2 ** 20;

/** Memory a model needs at one context size, split by cause (bytes). */
export interface MemoryEstimate {
  contextSize: number;
  weightsBytes: number;
  kvCacheBytes: number;
  /** Attention scores, logits and fixed overhead (an estimate: llama.cpp sizes them at load). */
  computeBytes: number;
  totalBytes: number;
}

/** KV cache bytes per token of context: keys and values, every layer, every KV head. */
export function kvBytesPerToken(shape: ModelShape): number {
  return 2 * shape.layers * shape.kvHeads * shape.headDim * KV_ELEMENT_BYTES;
}

/** Estimates the memory of a model loaded with `contextSize` tokens of context (CPU or unified memory). */
export function estimateMemory(shape: ModelShape, contextSize: number): MemoryEstimate {
  const batch = Math.min(BATCH_TOKENS, contextSize);
  const kvCacheBytes = kvBytesPerToken(shape) * contextSize;
  // Without flash attention llama.cpp materialises one F32 score per head, batched token and context position.
  const scores = contextSize * batch * shape.heads * 4;
  const logits = batch * shape.vocabSize * 4;
  const computeBytes = scores + logits + FIXED_OVERHEAD_BYTES;
  return {
    contextSize,
    weightsBytes: shape.weightsBytes,
    kvCacheBytes,
    computeBytes,
    totalBytes: shape.weightsBytes + kvCacheBytes + computeBytes,
  };
}

/** The machine's memory at the moment of loading (bytes). */
export interface AvailableMemory {
  freeRamBytes: number;
  /** Free dedicated VRAM of the chosen GPU; 0 on CPU or unified memory. */
  freeVramBytes?: number;
}

/** Context sizes tried, largest first, when the setting leaves the choice to Guichet. */
export const AUTO_CONTEXT_SIZES = [8192, 4096, 2048] as const;
/** Smallest context worth answering with: a question, five extracts and a reply. */
export const MIN_CONTEXT_SIZE = 2048;

/** The outcome of the pre-flight: the context to create and its estimate. */
export interface PreflightPlan {
  contextSize: number;
  estimate: MemoryEstimate;
  /** French notes for the agent (context lowered to fit, capped to the trained length…). */
  notes: string[];
}

/**
 * Checks, before llama.cpp allocates anything, that the model fits in free memory with the system reserve kept, and
 * chooses the context size: the requested one (capped to the trained length), else the largest of
 * {@link AUTO_CONTEXT_SIZES} that fits. Weights placed on a dedicated GPU (`gpuFraction` of them, 0–1) count against
 * its VRAM instead of RAM.
 *
 * @throws ModelError `model-too-large`, with a French message proposing a smaller context or a smaller
 *   quantization, when nothing fits.
 */
export function planMemory(
  shape: ModelShape,
  available: AvailableMemory,
  options: { requestedContext?: number | null; gpuFraction?: number; fileName: string },
): PreflightPlan {
  const notes: string[] = [];
  const train = Math.max(512, shape.trainContext || MIN_CONTEXT_SIZE);
  const fits = (contextSize: number): MemoryEstimate | undefined => {
    const estimate = estimateMemory(shape, contextSize);
    return ramNeeded(estimate, options.gpuFraction ?? 0, available) <= available.freeRamBytes - SYSTEM_RESERVE_BYTES
      ? estimate
      : undefined;
  };

  if (options.requestedContext) {
    let wanted = options.requestedContext;
    if (wanted > train) {
      notes.push(`Contexte ramené de ${frenchCount(wanted)} à ${frenchCount(train)} jetons, la longueur d'entraînement du modèle.`);
      wanted = train;
    }
    const estimate = fits(wanted);
    if (estimate) return { contextSize: wanted, estimate, notes };
    throw tooLarge(shape, available, options.fileName, wanted, largestFitting(shape, available, options.gpuFraction ?? 0));
  }
  const candidates = [...AUTO_CONTEXT_SIZES.filter((size) => size <= train), ...(train < MIN_CONTEXT_SIZE ? [train] : [])];
  for (const size of candidates) {
    const estimate = fits(size);
    if (!estimate) continue;
    if (size < (candidates[0] ?? size)) notes.push(`Contexte limité à ${frenchCount(size)} jetons pour tenir dans la mémoire libre.`);
    return { contextSize: size, estimate, notes };
  }
  throw tooLarge(shape, available, options.fileName, candidates.at(-1) ?? MIN_CONTEXT_SIZE, undefined);
}

/** The largest context (multiple of 512, at least 512) that fits, or `undefined` when even 512 does not. */
export function largestFitting(shape: ModelShape, available: AvailableMemory, gpuFraction = 0): number | undefined {
  const budget = available.freeRamBytes - SYSTEM_RESERVE_BYTES;
  let best: number | undefined;
  for (let size = 512; size <= Math.max(512, shape.trainContext); size += 512) {
    if (ramNeeded(estimateMemory(shape, size), gpuFraction, available) > budget) break;
    best = size;
  }
  return best;
}

function ramNeeded(estimate: MemoryEstimate, gpuFraction: number, available: AvailableMemory): number {
  if (gpuFraction <= 0 || !available.freeVramBytes) return estimate.totalBytes;
  // Offloaded layers take their weights and KV cache to VRAM; the CPU keeps the rest and the compute buffers.
  return (estimate.weightsBytes + estimate.kvCacheBytes) * (1 - gpuFraction) + estimate.computeBytes;
}

function tooLarge(
  shape: ModelShape,
  available: AvailableMemory,
  fileName: string,
  contextSize: number,
  fittingContext: number | undefined,
): ModelError {
  const needed = estimateMemory(shape, contextSize).totalBytes + SYSTEM_RESERVE_BYTES;
  const proposal =
    fittingContext !== undefined && fittingContext >= 512
      ? `Essayez un contexte plus petit (${frenchCount(fittingContext)} jetons au plus, réglage runtime.contextSize) ou une quantification plus petite (Q3_K_M, ou un modèle 3B).`
      : 'Choisissez une quantification plus petite (Q3_K_M) ou un modèle plus petit (3B), ou fermez des applications.';
  return new ModelError(
    'model-too-large',
    `Le modèle ${fileName} ne tient pas dans la mémoire libre de ce PC : il faut environ ${frenchGib(needed)} (contexte de ${frenchCount(contextSize)} jetons compris), ${frenchGib(available.freeRamBytes)} sont libres. ${proposal}`,
    { file: fileName, cause: { neededBytes: needed, freeRamBytes: available.freeRamBytes, contextSize } },
  );
}

/**
 * Layers to offload to a dedicated GPU: as many as fit in its free VRAM after a margin and the KV cache of those
 * layers. `0` when not even one fits. node-llama-cpp refines this with its own estimate (it takes the smaller).
 * @param marginBytes kept free for the compute buffers and the rest of the PC's use of the GPU; default 256 MiB + 8 %
 *   (at most 1.2 GiB). `0` for a budget the administrator set.
 */
export function chooseGpuLayers(shape: ModelShape, contextSize: number, freeVramBytes: number, marginBytes?: number): number {
  const margin = marginBytes ?? Math.min(1.2 * 2 ** 30, freeVramBytes * 0.08) + 256 * 2 ** 20;
  const perLayer = shape.weightsBytes / (shape.layers + 1) + (kvBytesPerToken(shape) / shape.layers) * contextSize;
  const layers = Math.floor((freeVramBytes - margin) / perLayer);
  // llama.cpp counts the output layer as one more: `layers + 1` offloads everything.
  return Math.max(0, Math.min(shape.layers + 1, layers));
}

/**
 * The GPU memory to plan layers with: the free VRAM, or the `runtime.gpuMemoryMiB` cap when lower (`capped`: all
 * of it may be used, no margin kept); `undefined` on a unified-memory GPU without a cap (every layer goes there).
 */
export function gpuBudget(gpu: Pick<GpuInfo, 'unifiedMemory' | 'vramFreeBytes'>, capMiB: number | null | undefined): { bytes: number; capped: boolean } | undefined {
  if (capMiB === null || capMiB === undefined) return gpu.unifiedMemory ? undefined : { bytes: gpu.vramFreeBytes, capped: false };
  const cap = capMiB * 2 ** 20;
  return gpu.unifiedMemory || cap < gpu.vramFreeBytes ? { bytes: cap, capped: true } : { bytes: gpu.vramFreeBytes, capped: false };
}

/** Whether a model runs on this PC now, for `guichet models list`. */
export interface FitVerdict {
  /** `ok`: 8k context (or its full trained context) fits; `limited`: only a smaller context; `too-large`: not even 2k. */
  verdict: 'ok' | 'limited' | 'too-large';
  /** Largest context that fits, tokens (capped at 8,192); `undefined` when nothing fits. */
  maxContext: number | undefined;
  /** One French sentence. */
  message: string;
}

/** The fit verdict of a model for the free RAM, CPU placement (the conservative case). */
export function fitVerdict(shape: ModelShape, freeRamBytes: number): FitVerdict {
  const largest = largestFitting(shape, { freeRamBytes });
  const wanted = Math.min(8192, Math.max(512, shape.trainContext));
  if (largest !== undefined && largest >= wanted) {
    return { verdict: 'ok', maxContext: wanted, message: `Tient en mémoire (contexte de ${frenchCount(wanted)} jetons).` };
  }
  if (largest !== undefined && largest >= Math.min(MIN_CONTEXT_SIZE, shape.trainContext)) {
    return { verdict: 'limited', maxContext: largest, message: `Tient avec un contexte réduit (${frenchCount(largest)} jetons au plus).` };
  }
  const needed = estimateMemory(shape, MIN_CONTEXT_SIZE).totalBytes + SYSTEM_RESERVE_BYTES;
  return {
    verdict: 'too-large',
    maxContext: undefined,
    message: `Trop gros pour la mémoire libre : environ ${frenchGib(needed)} nécessaires, ${frenchGib(freeRamBytes)} libres.`,
  };
}
