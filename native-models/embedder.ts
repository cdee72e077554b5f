import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { ModelError } from './modelError.js';

/** Options of {@link Embedder.embedQueries}. */
export interface EmbedQueriesOptions {
  /** Checked before each batch; an abort rejects with the signal's reason (an `AbortError` by default). */
  signal?: AbortSignal;
}

/** Options of {@link Embedder.embedPassages}. */
export interface EmbedPassagesOptions extends EmbedQueriesOptions {
  /** Called after each batch with the number of texts embedded so far and the total; a throwing listener is ignored. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Turns texts into vectors for semantic search. Queries and passages are embedded differently on models trained
 * with instructions (e5: `query: ` / `passage: `), so the index must use {@link embedPassages} and the search
 * {@link embedQueries}. Every vector has {@link dimension} components and unit L2 norm (a zero vector for a text
 * with no token), so cosine similarity is a dot product. Vectors of two different embedders are not comparable.
 */
export interface Embedder {
  /** The model's folder or file name, e.g. `multilingual-e5-small`; stored with the index to detect a change. */
  readonly id: string;
  /** Number of components of each vector, read from the model at load time (384 for e5-small, 1024 for bge-m3). */
  readonly dimension: number;
  /** Vectors of search queries, in the order of `texts`. */
  embedQueries(texts: readonly string[], options?: EmbedQueriesOptions): Promise<Float32Array[]>;
  /** Vectors of indexed passages (chunks of fiches), in the order of `texts`. */
  embedPassages(texts: readonly string[], options?: EmbedPassagesOptions): Promise<Float32Array[]>;
  /** Releases the model and its native memory. Safe to call twice; any later embed call rejects. */
  dispose(): Promise<void>;
}

/** Options shared by every embedder factory. */
export interface EmbedderOptions {
  /** CPU threads for the model. Default: the machine's parallelism capped at 4 (more rarely helps). Range 1–256. */
  threads?: number;
  /** Texts per batch (one native call for ONNX; one progress and abort check for both). Default 16, range 1–512. */
  batchSize?: number;
}

/** How a model expects its input and how its token vectors become one vector. */
export interface EmbedderProfile {
  /** Prepended to each query, e.g. `query: ` for e5; empty for bge-m3. */
  queryPrefix: string;
  /** Prepended to each passage, e.g. `passage: ` for e5. */
  passagePrefix: string;
  /** Pooling of token vectors (ONNX only; a GGUF carries its own): `mean` (e5, MiniLM) or `cls` (bge). */
  pooling: 'mean' | 'cls';
}

/**
 * Schema of the optional `guichet.json` placed beside a model (in an ONNX folder, or `<name>.guichet.json` next
 * to a GGUF file): it overrides what is guessed from the model's name. `dtype` picks the ONNX variant
 * (`fp32` = `model.onnx`, `q8` = `model_quantized.onnx`…).
 */
export const EMBEDDER_PROFILE_FILE_SCHEMA = z
  .object({
    queryPrefix: z.string().max(500).optional(),
    passagePrefix: z.string().max(500).optional(),
    pooling: z.enum(['mean', 'cls']).optional(),
    dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).optional(),
  })
  .strict();

/** Contents of a `guichet.json`, validated. */
export type EmbedderProfileFile = z.output<typeof EMBEDDER_PROFILE_FILE_SCHEMA>;

const E5_INSTRUCT_QUERY = 'Instruct: Given a question, retrieve passages that answer the question\nQuery: ';

/**
 * Guesses the profile from names that identify the model (folder, file, `_name_or_path`, GGUF `general.name`).
 * e5 models were trained with `query: ` / `passage: ` and lose much of their quality without them; bge-m3 uses no
 * prefix and CLS pooling; anything unknown gets no prefix and mean pooling.
 */
export function guessEmbedderProfile(names: readonly string[]): EmbedderProfile {
  const joined = names.join(' ').toLowerCase();
  const isE5 = /(^|[^a-z0-9])e5([^a-z0-9]|$)/.test(joined);
  const pooling = /(^|[^a-z0-9])bge/.test(joined) ? 'cls' : 'mean';
  if (isE5 && joined.includes('instruct')) return { queryPrefix: E5_INSTRUCT_QUERY, passagePrefix: '', pooling };
  if (isE5) return { queryPrefix: 'query: ', passagePrefix: 'passage: ', pooling };
  if (joined.includes('nomic-embed')) return { queryPrefix: 'search_query: ', passagePrefix: 'search_document: ', pooling };
  return { queryPrefix: '', passagePrefix: '', pooling };
}

/** Reads a `guichet.json`; `undefined` when the file does not exist, a ModelError when it is invalid. */
export async function readEmbedderProfileFile(file: string): Promise<EmbedderProfileFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, `le fichier de réglages ${file} ne peut pas être lu`, error);
  }
  try {
    return EMBEDDER_PROFILE_FILE_SCHEMA.parse(JSON.parse(text));
  } catch (error) {
    throw unreadable(file, `le fichier de réglages ${file} est invalide (préfixes, pooling ou dtype attendus)`, error);
  }
}

/** The thread count to use: the option when given (clamped to 1–256), else the parallelism capped at 4. */
export function resolveThreads(threads: number | undefined): number {
  if (threads !== undefined && Number.isFinite(threads)) return Math.min(256, Math.max(1, Math.floor(threads)));
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The batch size to use: the option when given (clamped to 1–512), else 16. */
export function resolveBatchSize(batchSize: number | undefined): number {
  if (batchSize !== undefined && Number.isFinite(batchSize)) return Math.min(512, Math.max(1, Math.floor(batchSize)));
  return 16;
}

/** Scales a vector to unit L2 norm in place; a zero vector stays zero. */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

/**
 * Runs `embedBatch` over `texts` in slices of `batchSize`, checking `signal` before each slice and reporting
 * progress after it. Used by every embedder so that cancellation and progress behave the same.
 */
export async function embedInBatches(
  texts: readonly string[],
  batchSize: number,
  embedBatch: (batch: readonly string[]) => Promise<Float32Array[]>,
  options: EmbedPassagesOptions = {},
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = texts.slice(start, start + batchSize);
    const batchVectors = await embedBatch(batch);
    vectors.push(...batchVectors);
    try {
      options.onProgress?.(vectors.length, texts.length);
    } catch {
      // A faulty progress listener (UI gone, closed port) must not lose an index build.
    }
  }
  options.signal?.throwIfAborted();
  return vectors;
}

/** A ModelError `embedder-unreadable` whose French message names the model path. */
export function unreadable(file: string, detail: string, cause?: unknown): ModelError {
  return new ModelError('embedder-unreadable', `Le modèle d'embedding ${file} est inutilisable : ${detail}.`, {
    cause,
    file,
  });
}

/** The ModelError of a call made after {@link Embedder.dispose}. */
export function disposedError(file: string): ModelError {
  return new ModelError('model-not-loaded', `Le modèle d'embedding ${file} a été fermé ; rouvrez-le avant de l'utiliser.`, {
    file,
  });
}
