import { describe, expect, it } from 'vitest';
import {
  chooseGpuLayers,
  estimateMemory,
  fitVerdict,
  gpuBudget,
  kvBytesPerToken,
  largestFitting,
  type ModelShape,
  planMemory,
  SYSTEM_RESERVE_BYTES,
} from '../../native-models/memoryPreflight.js';
import { ModelError } from '../../native-models/modelError.js';

const GiB = 2 ** 30;
/** Mistral 7B Instruct v0.3 Q4_K_M. */
const MISTRAL: ModelShape = { weightsBytes: 4.37e9, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocabSize: 32_768, trainContext: 32_768 };

describe('memory pre-flight', () => {
  it('KV cache: keys and values, F16, every layer and KV head', () => {
    // 2 × 32 layers × 8 heads × 128 × 2 bytes = 128 KiB per token: 512 MiB at 4k, 1 GiB at 8k.
    expect(kvBytesPerToken(MISTRAL)).toBe(131_072);
    expect(estimateMemory(MISTRAL, 4096).kvCacheBytes).toBe(512 * 2 ** 20);
    expect(estimateMemory(MISTRAL, 8192).kvCacheBytes).toBe(GiB);
  });

  it('the total adds weights, KV cache and compute buffers, and grows with the context', () => {
    const at4k = estimateMemory(MISTRAL, 4096);
    expect(at4k.totalBytes).toBe(at4k.weightsBytes + at4k.kvCacheBytes + at4k.computeBytes);
    expect(at4k.totalBytes / GiB).toBeGreaterThan(4.8);
    expect(at4k.totalBytes / GiB).toBeLessThan(5.5);
    // 512 MiB more KV cache and 256 MiB more attention scores.
    expect(estimateMemory(MISTRAL, 8192).totalBytes - at4k.totalBytes).toBe(768 * 2 ** 20);
  });

  it('chooses the largest automatic context that fits', () => {
    const free = (gib: number) => ({ freeRamBytes: gib * GiB });
    expect(planMemory(MISTRAL, free(12), { fileName: 'm.gguf' }).contextSize).toBe(8192);
    const tight = planMemory(MISTRAL, free(6.2), { fileName: 'm.gguf' });
    expect(tight.contextSize).toBe(4096);
    expect(tight.notes[0]).toContain('4\u202f096 jetons');
  });

  it('refuses in French, proposing a context that fits or a smaller quantization', () => {
    const refuse = (freeGib: number, requestedContext?: number): ModelError => {
      try {
        planMemory(MISTRAL, { freeRamBytes: freeGib * GiB }, { fileName: 'mistral.gguf', ...(requestedContext ? { requestedContext } : {}) });
      } catch (error) {
        return error as ModelError;
      }
      throw new Error('expected a refusal');
    };
    const withContext = refuse(6, 32_768);
    expect(withContext).toBeInstanceOf(ModelError);
    expect(withContext.code).toBe('model-too-large');
    expect(withContext.message).toMatch(/mistral\.gguf ne tient pas .* contexte plus petit \([\d\u202f]+ jetons au plus/);
    const proposed = Number(/\(([\d\u202f]+) jetons au plus/.exec(withContext.message)?.[1]?.replace(/\u202f/g, ''));
    expect(planMemory(MISTRAL, { freeRamBytes: 6 * GiB }, { fileName: 'm', requestedContext: proposed }).contextSize).toBe(proposed);
    expect(refuse(3).message).toContain('quantification plus petite');
  });

  it('caps a requested context at the trained length, with a note', () => {
    const plan = planMemory({ ...MISTRAL, trainContext: 4096 }, { freeRamBytes: 64 * GiB }, { fileName: 'm', requestedContext: 16_384 });
    expect(plan.contextSize).toBe(4096);
    expect(plan.notes[0]).toContain('longueur d\'entraînement');
  });

  it('weights offloaded to a dedicated GPU leave RAM free', () => {
    const ramOnly = largestFitting(MISTRAL, { freeRamBytes: 4 * GiB });
    const withGpu = largestFitting(MISTRAL, { freeRamBytes: 4 * GiB, freeVramBytes: 8 * GiB }, 1);
    expect(ramOnly).toBeUndefined();
    expect(withGpu).toBeGreaterThanOrEqual(8192);
  });

  it('GPU layers: as many as fit in free VRAM, all of them with room to spare, none without', () => {
    expect(chooseGpuLayers(MISTRAL, 4096, 16 * GiB)).toBe(33);
    const partial = chooseGpuLayers(MISTRAL, 4096, 3 * GiB);
    expect(partial).toBeGreaterThan(5);
    expect(partial).toBeLessThan(33);
    expect(chooseGpuLayers(MISTRAL, 4096, 0.2 * GiB)).toBe(0);
  });

  it('GPU budget: free VRAM with a margin, or the administrator’s cap used in full; unified memory without a cap takes every layer', () => {
    const dedicated = { unifiedMemory: false, vramFreeBytes: 6 * GiB };
    expect(gpuBudget(dedicated, null)).toEqual({ bytes: 6 * GiB, capped: false });
    expect(gpuBudget(dedicated, 2048)).toEqual({ bytes: 2 * GiB, capped: true });
    expect(gpuBudget(dedicated, 8192)).toEqual({ bytes: 6 * GiB, capped: false });
    expect(gpuBudget({ unifiedMemory: true, vramFreeBytes: 0 }, undefined)).toBeUndefined();
    expect(gpuBudget({ unifiedMemory: true, vramFreeBytes: 0 }, 3072)).toEqual({ bytes: 3 * GiB, capped: true });
    // A cap is used in full (no margin): more layers than the same amount of free VRAM.
    expect(chooseGpuLayers(MISTRAL, 4096, 3 * GiB, 0)).toBeGreaterThan(chooseGpuLayers(MISTRAL, 4096, 3 * GiB));
    expect(chooseGpuLayers(MISTRAL, 4096, 0, 0)).toBe(0);
  });

  it('fit verdicts for the models list', () => {
    expect(fitVerdict(MISTRAL, 16 * GiB)).toMatchObject({ verdict: 'ok', maxContext: 8192 });
    expect(fitVerdict(MISTRAL, 6 * GiB).verdict).toBe('limited');
    const refused = fitVerdict(MISTRAL, 3 * GiB);
    expect(refused.verdict).toBe('too-large');
    expect(refused.message).toMatch(/Trop gros pour la mémoire libre : environ \d+,\d Gio nécessaires, 3,0 Gio libres/);
    expect(SYSTEM_RESERVE_BYTES).toBeGreaterThan(0);
  });
});
