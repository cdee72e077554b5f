import { estimateMemory, type ModelShape } from './memoryPreflight.js';

/** A chat model Guichet knows how to fetch and recommends, with what a PC needs to run it. */
export interface CatalogModel {
  /** Name used on the command line: `guichet models pull lucie-7b`. */
  id: string;
  label: string;
  /** Name of the GGUF file, as published. */
  fileName: string;
  /** Size in bytes as listed by Hugging Face (rounded to 10 MB there: `sizeExact` says so). */
  sizeBytes: number;
  sizeExact: boolean;
  /** SHA-256 of the file when we could verify the published value; `null` = checked after download by GGUF header only. */
  sha256: string | null;
  licence: string;
  /** Hugging Face repository and file: `hf:<repo>/<file>`. */
  huggingFace: { repo: string; file: string };
  quantization: string;
  /** `standard`: 16 GB PCs; `small`: 8 GB PCs (3B class). */
  tier: 'standard' | 'small';
  /** Architecture figures from the model's config, for the memory estimates (weights = `sizeBytes`). */
  shape: Omit<ModelShape, 'weightsBytes'>;
  /** One French sentence for the agent or IT. */
  note: string;
}

const GB = 1_000_000_000;

/**
 * The recommended models. Sizes are Hugging Face's listing (GB = 10⁹ bytes); no SHA-256 is listed because none could
 * be verified from the official pages at the time of writing: `pull` then relies on the size and the GGUF header
 * check, and records the computed hash in the registry so that IT can compare it with the repository's.
 */
export const MODEL_CATALOG: readonly CatalogModel[] = [
  {
    id: 'lucie-7b',
    label: 'Lucie 7B Instruct v1.1 (Q4_K_M)',
    fileName: 'Lucie-7B-Instruct-v1.1.Q4_K_M.gguf',
    sizeBytes: 4.07 * GB,
    sizeExact: false,
    sha256: null,
    licence: 'Apache-2.0',
    huggingFace: { repo: 'mradermacher/Lucie-7B-Instruct-v1.1-GGUF', file: 'Lucie-7B-Instruct-v1.1.Q4_K_M.gguf' },
    quantization: 'Q4_K_M',
    tier: 'standard',
    shape: { layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocabSize: 65_024, trainContext: 32_000 },
    note: 'Modèle français (OpenLLM-France, LINAGORA), entraîné sur des données majoritairement françaises.',
  },
  {
    id: 'mistral-7b',
    label: 'Mistral 7B Instruct v0.3 (Q4_K_M)',
    fileName: 'Mistral-7B-Instruct-v0.3-Q4_K_M.gguf',
    sizeBytes: 4.37 * GB,
    sizeExact: false,
    sha256: null,
    licence: 'Apache-2.0',
    huggingFace: { repo: 'bartowski/Mistral-7B-Instruct-v0.3-GGUF', file: 'Mistral-7B-Instruct-v0.3-Q4_K_M.gguf' },
    quantization: 'Q4_K_M',
    tier: 'standard',
    shape: { layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocabSize: 32_768, trainContext: 32_768 },
    note: 'Modèle généraliste de Mistral AI, bon en français.',
  },
  {
    id: 'llama-3.2-3b',
    label: 'Llama 3.2 3B Instruct (Q4_K_M)',
    fileName: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    sizeBytes: 2.02 * GB,
    sizeExact: false,
    sha256: null,
    licence: 'Llama 3.2 Community License',
    huggingFace: { repo: 'bartowski/Llama-3.2-3B-Instruct-GGUF', file: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf' },
    quantization: 'Q4_K_M',
    tier: 'small',
    shape: { layers: 28, heads: 24, kvHeads: 8, headDim: 128, vocabSize: 128_256, trainContext: 131_072 },
    note: 'Pour les PC de 8 Go ; français officiellement pris en charge.',
  },
  {
    id: 'qwen2.5-3b',
    label: 'Qwen 2.5 3B Instruct (Q4_K_M)',
    fileName: 'qwen2.5-3b-instruct-q4_k_m.gguf',
    sizeBytes: 2.1 * GB,
    sizeExact: false,
    sha256: null,
    licence: 'Qwen Research License (usage non commercial)',
    huggingFace: { repo: 'Qwen/Qwen2.5-3B-Instruct-GGUF', file: 'qwen2.5-3b-instruct-q4_k_m.gguf' },
    quantization: 'Q4_K_M',
    tier: 'small',
    shape: { layers: 36, heads: 16, kvHeads: 2, headDim: 128, vocabSize: 151_936, trainContext: 32_768 },
    note: 'Pour les PC de 8 Go ; cache de contexte très économe. Vérifiez la licence avant un déploiement.',
  },
  {
    id: 'qwen2.5-1.5b',
    label: 'Qwen 2.5 1.5B Instruct (Q4_K_M)',
    fileName: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
    sizeBytes: 1.12 * GB,
    sizeExact: false,
    sha256: null,
    licence: 'Apache-2.0',
    huggingFace: { repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF', file: 'qwen2.5-1.5b-instruct-q4_k_m.gguf' },
    quantization: 'Q4_K_M',
    tier: 'small',
    shape: { layers: 28, heads: 12, kvHeads: 2, headDim: 128, vocabSize: 151_936, trainContext: 32_768 },
    note: 'Le plus léger : PC anciens ou très chargés ; réponses plus courtes et moins sûres.',
  },
];

/** The model's full shape for memory estimates. */
export function catalogShape(model: CatalogModel): ModelShape {
  return { ...model.shape, weightsBytes: model.sizeBytes };
}

/** RAM the model needs at 4k and 8k tokens of context, bytes (weights, KV cache, compute buffers). */
export function catalogRamNeeds(model: CatalogModel): { at4k: number; at8k: number } {
  const shape = catalogShape(model);
  return { at4k: estimateMemory(shape, 4096).totalBytes, at8k: estimateMemory(shape, 8192).totalBytes };
}

/** The file's download URL; `mirror` replaces `https://huggingface.co` (an IT mirror with the same layout). */
export function catalogUrl(model: CatalogModel, mirror = 'https://huggingface.co'): string {
  return `${mirror.replace(/\/+$/, '')}/${model.huggingFace.repo}/resolve/main/${encodeURIComponent(model.huggingFace.file)}`;
}

/** The catalog entry by id (`lucie-7b`) or file name, case-insensitive. */
export function findCatalogModel(idOrFile: string): CatalogModel | undefined {
  const key = idOrFile.toLowerCase();
  return MODEL_CATALOG.find((model) => model.id === key || model.fileName.toLowerCase() === key);
}
