import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { GgmlType, GgufFileType } from 'node-llama-cpp';
import { readGgufHeader, type GgufHeader } from './ggufHeaderReader.js';
import type { ModelShape } from './memoryPreflight.js';
import { frenchCount } from './frenchFigures.js';
import { ModelError } from './modelError.js';

/** What Guichet knows about a GGUF file before loading it: enough to list it, check it and plan its memory. */
export interface GgufSummary {
  path: string;
  fileName: string;
  sizeBytes: number;
  ggufVersion: number;
  /** `general.name`, e.g. « Mistral 7B Instruct v0.3 ». */
  name: string | undefined;
  /** `general.architecture`, e.g. `llama`, `qwen2`. */
  architecture: string;
  /** `Q4_K_M`, `F16`… from `general.file_type`, else the most common tensor type. */
  quantization: string;
  /** `chat`: a generative model; `embedding`: an encoder or pooled model, unusable for answers. */
  kind: 'chat' | 'embedding';
  /** The file carries its own chat template (`tokenizer.chat_template`). */
  hasChatTemplate: boolean;
  /** node-llama-cpp's chat format for this file (`Llama2Chat`, `JinjaTemplate`, `General`…). */
  chatFormatGuess: string | undefined;
  shape: ModelShape;
  tensorCount: number;
}

/** Options of {@link inspectGguf}. */
export interface InspectOptions {
  /** Time allowed to parse the header, in ms. Default 15,000 (a 7B header reads in well under a second). */
  timeoutMs?: number;
}

/** Encoder architectures: they embed text and cannot generate it. */
const ENCODER_ARCHITECTURES = new Set(['bert', 'nomic-bert', 'nomic-bert-moe', 'jina-bert-v2', 'jina-bert-v3', 't5encoder', 'neo-bert', 'modern-bert', 'roberta']);
/** `pooling_type` values of embedding and ranking models (0 = none, -1 = unspecified). */
const POOLED = new Set([1, 2, 3, 4]);

/**
 * Reads and checks a GGUF file's header without llama.cpp: existence, magic number, metadata, architecture and
 * truncation. A file that passes can still be refused by llama.cpp (a nonsense value can abort it): load it in the
 * engine process only.
 *
 * @throws ModelError `model-not-found` (no such file), `model-unreadable` (not a GGUF, damaged, truncated), each naming
 *   the file.
 */
export async function inspectGguf(file: string, options: InspectOptions = {}): Promise<GgufSummary> {
  const path = resolve(file);
  const fileName = basename(path);
  const sizeBytes = await fileSize(path, fileName);
  await checkMagic(path, fileName);
  const outcome = await readGgufHeader(path, fileName, { timeoutMs: options.timeoutMs ?? 15_000 });
  if (!outcome.ok) {
    const why = outcome.reason === 'timeout' ? "la lecture de l'en-tête ne se termine pas" : "l'en-tête GGUF est illisible";
    throw new ModelError('model-unreadable', `Le modèle ${fileName} est illisible : ${why} (fichier tronqué ou endommagé).`, {
      file: path,
      cause: outcome.message,
    });
  }
  const header = outcome.header;
  const shape = shapeOf(header, sizeBytes, fileName, path);
  checkComplete(header, sizeBytes, fileName, path);
  const pooling = header.arch['pooling_type'];
  const architecture = header.architecture ?? 'inconnue';
  return {
    path,
    fileName,
    sizeBytes,
    ggufVersion: header.version,
    name: header.name,
    architecture,
    quantization: quantizationOf(header),
    kind: ENCODER_ARCHITECTURES.has(architecture) || (pooling !== undefined && POOLED.has(pooling)) ? 'embedding' : 'chat',
    hasChatTemplate: header.chatTemplate !== undefined && header.chatTemplate.trim() !== '',
    chatFormatGuess: header.chatWrapperGuess,
    shape,
    tensorCount: header.tensors.length,
  };
}

async function fileSize(path: string, fileName: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ModelError('model-not-found', `${fileName} n'est pas un fichier de modèle (c'est un dossier).`, { file: path });
    return info.size;
  } catch (error) {
    if (error instanceof ModelError) throw error;
    throw new ModelError('model-not-found', `Fichier de modèle introuvable : ${path}.`, { file: path, cause: error });
  }
}

async function checkMagic(path: string, fileName: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead === 4 && buffer.toString('latin1') === 'GGUF') return;
  } finally {
    await handle.close();
  }
  throw new ModelError('model-unreadable', `${fileName} n'est pas un modèle GGUF (en-tête « GGUF » absent) : fichier corrompu ou d'un autre format.`, {
    file: path,
  });
}

function shapeOf(header: GgufHeader, sizeBytes: number, fileName: string, path: string): ModelShape {
  const a = header.arch;
  const layers = a['block_count'];
  const heads = a['attention.head_count'];
  const embedding = a['embedding_length'];
  if (!header.architecture || !layers || !embedding) {
    throw new ModelError('model-unreadable', `Le modèle ${fileName} ne décrit pas un modèle de langage reconnu (métadonnées d'architecture absentes).`, {
      file: path,
      cause: { architecture: header.architecture, keys: Object.keys(a) },
    });
  }
  const headCount = heads && heads > 0 ? heads : 1;
  return {
    weightsBytes: sizeBytes,
    layers,
    heads: headCount,
    kvHeads: a['attention.head_count_kv'] || headCount,
    headDim: a['attention.key_length'] || Math.max(1, Math.round(embedding / headCount)),
    vocabSize: a['vocab_size'] || header.vocabSize || 32_000,
    trainContext: a['context_length'] || 2048,
  };
}

/** [bytes per block, elements per block] of the tensor types seen in chat models. */
const TYPE_SIZES: Partial<Record<number, [number, number]>> = {
  [GgmlType.F32]: [4, 1], [GgmlType.F16]: [2, 1], [GgmlType.BF16]: [2, 1], [GgmlType.F64]: [8, 1],
  [GgmlType.I8]: [1, 1], [GgmlType.I16]: [2, 1], [GgmlType.I32]: [4, 1], [GgmlType.I64]: [8, 1],
  [GgmlType.Q4_0]: [18, 32], [GgmlType.Q4_1]: [20, 32], [GgmlType.Q5_0]: [22, 32], [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32], [GgmlType.Q8_1]: [36, 32], [GgmlType.IQ4_NL]: [18, 32],
  [GgmlType.Q2_K]: [84, 256], [GgmlType.Q3_K]: [110, 256], [GgmlType.Q4_K]: [144, 256], [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256], [GgmlType.Q8_K]: [292, 256], [GgmlType.IQ4_XS]: [136, 256], [GgmlType.IQ3_S]: [110, 256],
  [GgmlType.IQ3_XXS]: [98, 256], [GgmlType.IQ2_XXS]: [66, 256], [GgmlType.IQ2_XS]: [74, 256], [GgmlType.IQ2_S]: [82, 256],
  [GgmlType.IQ1_S]: [50, 256], [GgmlType.IQ1_M]: [56, 256],
};

/** A download cut short keeps a valid header: compare where the last tensor ends with the file's size. */
function checkComplete(header: GgufHeader, sizeBytes: number, fileName: string, path: string): void {
  let end = 0;
  for (const tensor of header.tensors) {
    const size = TYPE_SIZES[tensor.type];
    if (!size) return; // an exotic type: llama.cpp checks bounds itself and fails cleanly
    end = Math.max(end, tensor.fileOffset + Math.ceil(tensor.elements / size[1]) * size[0]);
  }
  if (end > sizeBytes) {
    throw new ModelError(
      'model-unreadable',
      `Le modèle ${fileName} est incomplet : ${frenchCount(sizeBytes)} octets sur ${frenchCount(end)} attendus (téléchargement ou copie interrompus ?).`,
      { file: path, cause: { sizeBytes, expectedBytes: end } },
    );
  }
}

function quantizationOf(header: GgufHeader): string {
  if (header.fileType !== undefined && GgufFileType[header.fileType]) {
    return GgufFileType[header.fileType]!.replace(/^(MOSTLY|ALL)_/, '');
  }
  const counts = new Map<number, number>();
  for (const tensor of header.tensors) counts.set(tensor.type, (counts.get(tensor.type) ?? 0) + tensor.elements);
  const [dominant] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return dominant !== undefined ? (GgmlType[dominant] ?? 'inconnue') : 'inconnue';
}
