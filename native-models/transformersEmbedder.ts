import { readFile, stat } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { basename, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import {
  type Embedder,
  type EmbedderOptions,
  type EmbedderProfile,
  type EmbedPassagesOptions,
  type EmbedQueriesOptions,
  disposedError,
  embedInBatches,
  guessEmbedderProfile,
  readEmbedderProfileFile,
  resolveBatchSize,
  resolveThreads,
  unreadable,
} from './embedder.js';
import { ModelError } from './modelError.js';

type Transformers = typeof import('@huggingface/transformers');
type OnnxDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16' | 'bnb4';

/** File name suffix of each ONNX variant, as transformers.js names them; the order is our preference. */
const DTYPE_SUFFIXES: ReadonlyArray<readonly [OnnxDtype, string]> = [
  ['fp32', ''],
  ['q8', '_quantized'],
  ['int8', '_int8'],
  ['uint8', '_uint8'],
  ['fp16', '_fp16'],
  ['q4', '_q4'],
  ['q4f16', '_q4f16'],
  ['bnb4', '_bnb4'],
];

/** Where the ONNX graph of a model folder is, and how transformers.js must be told to load it. */
interface OnnxLocation {
  dtype: OnnxDtype;
  /** `onnx` (the Hugging Face layout) or `` (graph at the root of the folder). */
  subfolder: string;
  /** A `model.onnx_data` beside the graph: weights of models over 2 GB (bge-m3). */
  externalData: boolean;
}

let transformersLoading: Promise<Transformers> | undefined;

/**
 * Opens a transformers.js model folder (Hugging Face layout: `config.json`, `tokenizer.json`, `onnx/model.onnx` or
 * a quantised variant) as an {@link Embedder}, on the CPU, without any network access. The prefixes and pooling
 * come from a `guichet.json` in the folder, else from the model's name (e5: `query: `/`passage: `, bge: CLS).
 *
 * @throws ModelError `model-not-found` when the folder does not exist, `embedder-unreadable` when a required file
 *   is missing or the model cannot be loaded; every message names the folder.
 */
export async function openTransformersEmbedder(folder: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const absolute = resolve(folder);
  await checkModelFolder(absolute);
  const profileFile = await readEmbedderProfileFile(join(absolute, 'guichet.json'));
  const onnx = await locateOnnx(absolute, profileFile?.dtype);
  const config = await readJsonObject(join(absolute, 'config.json'), absolute);
  const pooling = profileFile?.pooling ?? (await readSentenceTransformersPooling(absolute));
  const guessed = guessEmbedderProfile([basename(absolute), String(config['_name_or_path'] ?? '')]);
  const profile: EmbedderProfile = {
    queryPrefix: profileFile?.queryPrefix ?? guessed.queryPrefix,
    passagePrefix: profileFile?.passagePrefix ?? guessed.passagePrefix,
    pooling: pooling ?? guessed.pooling,
  };

  const transformers = await loadTransformers(absolute);
  const threads = resolveThreads(options.threads);
  let extractor: FeatureExtractionPipeline;
  try {
    // An absolute path is never taken for a Hugging Face repo id, so transformers.js reads the folder as is
    // (forward slashes: it joins paths with `/`, which Windows accepts too).
    extractor = await transformers.pipeline('feature-extraction', absolute.split(sep).join('/'), {
      device: 'cpu',
      dtype: onnx.dtype,
      subfolder: onnx.subfolder,
      local_files_only: true,
      use_external_data_format: onnx.externalData,
      // Intra-op threads do the work; a second pool between operators only adds contention on small machines.
      session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 },
    });
  } catch (error) {
    throw unreadable(absolute, 'le modèle ONNX ou son tokenizer ne se charge pas', error);
  }

  const embedder = new TransformersEmbedder(absolute, extractor, profile, resolveBatchSize(options.batchSize));
  try {
    await embedder.measureDimension();
  } catch (error) {
    await embedder.dispose();
    throw unreadable(absolute, "le modèle ne produit pas de vecteur (est-ce bien un modèle d'embedding ?)", error);
  }
  return embedder;
}

class TransformersEmbedder implements Embedder {
  readonly id: string;
  #dimension = 0;
  #extractor: FeatureExtractionPipeline | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    private readonly folder: string,
    extractor: FeatureExtractionPipeline,
    private readonly profile: EmbedderProfile,
    private readonly batchSize: number,
  ) {
    this.id = basename(folder);
    this.#extractor = extractor;
  }

  /** Embeds a probe text once: the dimension is what the graph outputs, whatever `config.json` says. */
  async measureDimension(): Promise<void> {
    const [vector] = await this.#embedBatch(['dimension']);
    if (vector === undefined || vector.length === 0) throw new Error('empty output for a probe text');
    this.#dimension = vector.length;
  }

  get dimension(): number {
    return this.#dimension;
  }

  embedQueries(texts: readonly string[], options: EmbedQueriesOptions = {}): Promise<Float32Array[]> {
    const prefixed = texts.map((text) => this.profile.queryPrefix + text);
    return embedInBatches(prefixed, this.batchSize, (batch) => this.#embedBatch(batch), options);
  }

  embedPassages(texts: readonly string[], options: EmbedPassagesOptions = {}): Promise<Float32Array[]> {
    const prefixed = texts.map((text) => this.profile.passagePrefix + text);
    return embedInBatches(prefixed, this.batchSize, (batch) => this.#embedBatch(batch), options);
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      const extractor = this.#extractor;
      this.#extractor = undefined;
      await extractor?.dispose();
    })();
    return this.#disposing;
  }

  async #embedBatch(batch: readonly string[]): Promise<Float32Array[]> {
    const extractor = this.#extractor;
    if (extractor === undefined) throw disposedError(this.folder);
    let output: Awaited<ReturnType<FeatureExtractionPipeline['_call']>>;
    try {
      // normalize: true makes every vector unit length, so a dot product is the cosine similarity.
      output = await extractor([...batch], { pooling: this.profile.pooling, normalize: true });
    } catch (error) {
      if (this.#extractor === undefined) throw disposedError(this.folder);
      throw unreadable(this.folder, 'le calcul des vecteurs a échoué', error);
    }
    const [rows, width] = output.dims;
    const data = output.data;
    if (rows !== batch.length || width === undefined || !(data instanceof Float32Array)) {
      throw unreadable(this.folder, `sortie inattendue du modèle (dimensions ${output.dims.join('×')})`);
    }
    const vectors = Array.from({ length: rows }, (_, row) => data.slice(row * width, (row + 1) * width));
    output.dispose();
    return vectors;
  }
}

async function checkModelFolder(folder: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(folder)).isDirectory();
  } catch (error) {
    throw new ModelError('model-not-found', `Le modèle d'embedding ${folder} est introuvable.`, {
      cause: error,
      file: folder,
    });
  }
  if (!isDirectory) throw unreadable(folder, "ce n'est pas un dossier de modèle ONNX");
  for (const required of ['config.json', 'tokenizer.json']) {
    if (!(await isFile(join(folder, required)))) throw unreadable(folder, `le fichier ${required} manque dans le dossier`);
  }
}

async function locateOnnx(folder: string, wanted: OnnxDtype | undefined): Promise<OnnxLocation> {
  const candidates = wanted === undefined ? DTYPE_SUFFIXES : DTYPE_SUFFIXES.filter(([dtype]) => dtype === wanted);
  for (const subfolder of ['onnx', '']) {
    for (const [dtype, suffix] of candidates) {
      const graph = join(folder, subfolder, `model${suffix}.onnx`);
      if (await isFile(graph)) return { dtype, subfolder, externalData: await isFile(`${graph}_data`) };
    }
  }
  const expected = candidates.map(([, suffix]) => `onnx/model${suffix}.onnx`).slice(0, 2).join(' ou ');
  throw unreadable(folder, `aucun fichier ONNX trouvé (attendu : ${expected})`);
}

/** Pooling declared by a sentence-transformers export (`1_Pooling/config.json`), if any. */
async function readSentenceTransformersPooling(folder: string): Promise<'mean' | 'cls' | undefined> {
  const file = join(folder, '1_Pooling', 'config.json');
  if (!(await isFile(file))) return undefined;
  const config = await readJsonObject(file, folder);
  if (config['pooling_mode_cls_token'] === true) return 'cls';
  if (config['pooling_mode_mean_tokens'] === true) return 'mean';
  return undefined;
}

async function readJsonObject(file: string, folder: string): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch (error) {
    throw unreadable(folder, `le fichier ${basename(file)} est illisible`, error);
  }
  throw unreadable(folder, `le fichier ${basename(file)} n'est pas un objet JSON`);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Imports transformers.js once, local-only. It is imported lazily so that starting the app, or using only GGUF
 * models, never loads onnxruntime; and its static `import sharp` (images, which we never use) must not make
 * text embedding fail on a machine where sharp's native binary is missing: then `sharp` resolves to a stub.
 */
function loadTransformers(folder: string): Promise<Transformers> {
  transformersLoading ??= (async () => {
    await stubSharpIfBroken();
    const transformers = await import('@huggingface/transformers');
    transformers.env.allowRemoteModels = false;
    transformers.env.allowLocalModels = true;
    // The file cache lives inside node_modules and only serves downloads, which we never make.
    transformers.env.useFSCache = false;
    return transformers;
  })();
  return transformersLoading.catch((error: unknown) => {
    transformersLoading = undefined;
    // The desktop packages leave transformers.js and onnxruntime out (docs/deploiement.md): GGUF embedders only.
    const absent = (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND';
    const detail = absent
      ? "les modèles d'embedding ONNX ne sont pas pris en charge par cette installation (transformers.js et onnxruntime absents) : utilisez le même modèle au format GGUF"
      : 'la bibliothèque transformers.js (onnxruntime) ne se charge pas sur ce poste';
    throw unreadable(folder, detail, error);
  });
}

async function stubSharpIfBroken(): Promise<void> {
  const require = createRequire(import.meta.url);
  try {
    const sharpEntry = createRequire(require.resolve('@huggingface/transformers')).resolve('sharp');
    await import(pathToFileURL(sharpEntry).href);
  } catch {
    const stub = "export default function sharp() { throw new Error('sharp is not available on this machine'); }";
    const stubUrl = `data:text/javascript,${encodeURIComponent(stub)}`;
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === 'sharp') return { url: ${JSON.stringify(stubUrl)}, shortCircuit: true };
      return next(specifier, context);
    }`;
    register(`data:text/javascript,${encodeURIComponent(hook)}`);
  }
}
