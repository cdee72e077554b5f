import { describe, expect, it } from 'vitest';
import { SYSTEM_RESERVE_BYTES } from '../../native-models/memoryPreflight.js';
import { catalogRamNeeds, catalogUrl, findCatalogModel, MODEL_CATALOG } from '../../native-models/modelCatalog.js';

describe('model catalog', () => {
  it('has Lucie 7B and Mistral 7B v0.3 in Q4_K_M, and two or three small models for 8 GB PCs', () => {
    expect(findCatalogModel('lucie-7b')?.fileName).toMatch(/^Lucie-7B-Instruct-v1\.1.*Q4_K_M\.gguf$/);
    expect(findCatalogModel('mistral-7b')?.fileName).toMatch(/^Mistral-7B-Instruct-v0\.3.*Q4_K_M\.gguf$/);
    const small = MODEL_CATALOG.filter((model) => model.tier === 'small');
    expect(small.length).toBeGreaterThanOrEqual(2);
    expect(small.length).toBeLessThanOrEqual(3);
  });

  it('every entry is complete and consistent', () => {
    const ids = new Set<string>();
    for (const model of MODEL_CATALOG) {
      expect(ids.has(model.id), model.id).toBe(false);
      ids.add(model.id);
      expect(model.fileName.toLowerCase()).toContain(model.quantization.toLowerCase());
      expect(model.huggingFace.file).toBe(model.fileName);
      expect(model.huggingFace.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(model.licence.length).toBeGreaterThan(3);
      expect(model.sha256 === null || /^[0-9a-f]{64}$/.test(model.sha256)).toBe(true);
      expect(model.sizeBytes).toBeGreaterThan(0.5e9);
      expect(model.sizeBytes).toBeLessThan(6e9);
      expect(model.shape.headDim * model.shape.heads).toBeGreaterThanOrEqual(1024);
      expect(model.shape.kvHeads).toBeLessThanOrEqual(model.shape.heads);
      expect(catalogUrl(model)).toBe(`https://huggingface.co/${model.huggingFace.repo}/resolve/main/${model.fileName}`);
    }
  });

  it('RAM needs: 8k above 4k; small models run at 4k on an 8 GB PC, 7B models need more', () => {
    const eightGbFree = 8 * 2 ** 30 * 0.7 - SYSTEM_RESERVE_BYTES; // what an 8 GB PC with Windows and a browser has left
    for (const model of MODEL_CATALOG) {
      const needs = catalogRamNeeds(model);
      expect(needs.at8k).toBeGreaterThan(needs.at4k);
      expect(needs.at4k).toBeGreaterThan(model.sizeBytes);
      if (model.tier === 'small') expect(needs.at4k, model.id).toBeLessThan(eightGbFree);
      else expect(needs.at4k, model.id).toBeGreaterThan(4.5 * 2 ** 30);
    }
  });

  it('a mirror replaces the Hugging Face host', () => {
    const lucie = findCatalogModel('LUCIE-7B')!;
    expect(catalogUrl(lucie, 'http://miroir.intranet/hf/')).toBe(`http://miroir.intranet/hf/${lucie.huggingFace.repo}/resolve/main/${lucie.fileName}`);
    expect(findCatalogModel(lucie.fileName)?.id).toBe('lucie-7b');
  });
});
