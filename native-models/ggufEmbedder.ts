import { open, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type Llama,
  type LlamaEmbeddingContext,
  type LlamaModel,
  getLlama,
  LlamaLogLevel,
  readGgufFileInfo,
} from 'node-llama-cpp';
import {
  type Embedder,
  type EmbedderOptions,
  type EmbedderProfile,
  type EmbedPassagesOptions,
  type EmbedQueriesOptions,
  disposedError,
  embedInBatches,
  guessEmbedderProfile,
  normalizeInPlace,
  readEmbedderProfileFile,
  resolveBatchSize,
  resolveThreads,
  unreadable,
} from './embedder.js';
import { ModelError } from './modelError.js';

/** Options of {@link openGgufEmbedder}. */
export interface GgufEmbedderOptions extends EmbedderOptions {
  /**
   * The llama.cpp instance of the process, when the chat runtime already has one. When omitted, one CPU-only
   * instance (`build: 'never'`: nothing compiled or downloaded) is created for all GGUF embedders of the process and
   * kept until it exits: disposing a llama.cpp instance tears down the native bindings other users may share.
   */
  llama?: Llama;
  /**
   * Tokens the model sees per text; longer texts are cut at the end. Default: the trained context capped at
   * 1024 (a 250-word chunk is 350–450 tokens). Range 16–the trained context.
   */
  contextSize?: number;
}

/** Last llama.cpp log lines, attached to a load error's cause (llama.cpp explains why there, not in the error). */
const recentLlamaLog: string[] = [];
let llamaLoading: Promise<Llama> | undefined;

/** Tokens node-llama-cpp adds around each text (BOS/CLS, EOS/SEP), plus the one it requires to stay free. */
const RESERVED_TOKENS = 3;

/**
 * Opens a GGUF embedding model (e5, bge-m3, nomic… converted for llama.cpp) as an {@link Embedder}, on the CPU.
 * The header is checked in JavaScript first (magic number, metadata) so that an obviously wrong file is refused
 * without reaching llama.cpp. A subtly corrupt file can still abort the process inside llama.cpp: host this in
 * the engine process. Prefixes come from `<name>.guichet.json` beside the file, else from the model's name.
 *
 * @throws ModelError `model-not-found` when the file does not exist, `embedder-unreadable` when it is not a
 *   usable GGUF; every message names the file.
 */
export async function openGgufEmbedder(file: string, options: GgufEmbedderOptions = {}): Promise<Embedder> {
  const absolute = resolve(file);
  await checkGgufFile(absolute);
  let names: string[];
  try {
    const info = await readGgufFileInfo(absolute, { readTensorInfo: false });
    names = [basename(absolute), info.metadata.general?.name ?? '', info.metadata.general?.basename ?? ''];
  } catch (error) {
    throw unreadable(absolute, "l'en-tête GGUF est illisible (fichier tronqué ou endommagé)", error);
  }
  const sidecar = join(dirname(absolute), `${basename(absolute).replace(/\.gguf$/i, '')}.guichet.json`);
  const profileFile = await readEmbedderProfileFile(sidecar);
  const guessed = guessEmbedderProfile(names);
  const profile: EmbedderProfile = {
    queryPrefix: profileFile?.queryPrefix ?? guessed.queryPrefix,
    passagePrefix: profileFile?.passagePrefix ?? guessed.passagePrefix,
    pooling: guessed.pooling,
  };

  let llama: Llama;
  try {
    llama = options.llama ?? (await processLlama());
  } catch (error) {
    throw unreadable(absolute, 'le moteur llama.cpp ne se charge pas sur ce poste', error);
  }

  let model: LlamaModel | undefined;
  try {
    recentLlamaLog.length = 0;
    model = await llama.loadModel({ modelPath: absolute });
    const contextSize = Math.max(16, Math.min(model.trainContextSize, options.contextSize ?? 1024));
    const context = await model.createEmbeddingContext({
      contextSize,
      // Encoder models (BERT) must see a whole text in one batch: batch = context.
      batchSize: contextSize,
      threads: resolveThreads(options.threads),
    });
    const embedder = new GgufEmbedder(absolute, { model, context }, profile, {
      batchSize: resolveBatchSize(options.batchSize),
      maxTokens: contextSize - RESERVED_TOKENS,
    });
    await embedder.measureDimension().catch(async (error: unknown) => {
      await embedder.dispose();
      throw error;
    });
    return embedder;
  } catch (error) {
    await model?.dispose().catch(() => undefined);
    if (error instanceof ModelError) throw error;
    const cause = recentLlamaLog.length > 0 ? new Error(recentLlamaLog.join('\n'), { cause: error }) : error;
    throw unreadable(absolute, "llama.cpp ne peut pas le charger comme modèle d'embedding", cause);
  }
}

/** The native objects an embedder owns (not the llama.cpp instance, shared by the process). */
interface GgufHandles {
  model: LlamaModel;
  context: LlamaEmbeddingContext;
}

class GgufEmbedder implements Embedder {
  readonly id: string;
  #dimension = 0;
  #handles: GgufHandles | undefined;
  #disposing: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    handles: GgufHandles,
    private readonly profile: EmbedderProfile,
    private readonly limits: { batchSize: number; maxTokens: number },
  ) {
    this.id = basename(file);
    this.#handles = handles;
  }

  /** Embeds a probe text once: the dimension is what llama.cpp returns for this model. */
  async measureDimension(): Promise<void> {
    const vector = await this.#embedOne('dimension');
    if (vector.length === 0) throw unreadable(this.file, 'le modèle ne produit pas de vecteur');
    this.#dimension = vector.length;
  }

  get dimension(): number {
    return this.#dimension;
  }

  embedQueries(texts: readonly string[], options: EmbedQueriesOptions = {}): Promise<Float32Array[]> {
    return this.#embedAll(texts.map((text) => this.profile.queryPrefix + text), options);
  }

  embedPassages(texts: readonly string[], options: EmbedPassagesOptions = {}): Promise<Float32Array[]> {
    return this.#embedAll(texts.map((text) => this.profile.passagePrefix + text), options);
  }

  dispose(): Promise<void> {
    this.#disposing ??= (async () => {
      const handles = this.#handles;
      this.#handles = undefined;
      if (handles === undefined) return;
      await handles.context.dispose();
      await handles.model.dispose();
    })();
    return this.#disposing;
  }

  #embedAll(texts: readonly string[], options: EmbedPassagesOptions): Promise<Float32Array[]> {
    return embedInBatches(
      texts,
      this.limits.batchSize,
      async (batch) => {
        const vectors: Float32Array[] = [];
        // llama.cpp embeds one sequence at a time here: check the signal between texts, not only between batches.
        for (const text of batch) {
          options.signal?.throwIfAborted();
          vectors.push(await this.#embedOne(text));
        }
        return vectors;
      },
      options,
    );
  }

  async #embedOne(text: string): Promise<Float32Array> {
    const handles = this.#handles;
    if (handles === undefined) throw disposedError(this.file);
    try {
      const tokens = handles.model.tokenize(text).slice(0, this.limits.maxTokens);
      // A text without any token has no meaning to embed: a zero vector matches nothing.
      if (tokens.length === 0) return new Float32Array(this.#dimension);
      const { vector } = await handles.context.getEmbeddingFor(tokens);
      if (!vector.every(Number.isFinite)) throw new Error('llama.cpp returned non-finite values');
      return normalizeInPlace(Float32Array.from(vector));
    } catch (error) {
      if (this.#handles === undefined) throw disposedError(this.file);
      throw unreadable(this.file, 'le calcul des vecteurs a échoué', error);
    }
  }
}

async function checkGgufFile(file: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(file)).isFile();
  } catch (error) {
    throw new ModelError('model-not-found', `Le modèle d'embedding ${file} est introuvable.`, { cause: error, file });
  }
  if (!isFile) throw unreadable(file, "ce n'est pas un fichier GGUF");
  const magic = Buffer.alloc(4);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(file, 'le fichier ne peut pas être lu', error);
  }
  if (magic.toString('latin1') !== 'GGUF') throw unreadable(file, "ce n'est pas un fichier GGUF (signature absente)");
}

function processLlama(): Promise<Llama> {
  llamaLoading ??= getLlama({
    build: 'never',
    gpu: false,
    logLevel: LlamaLogLevel.warn,
    // Kept for the error's cause instead of printed: the engine logs causes, not llama.cpp's chatter.
    logger: (_level, message) => {
      if (recentLlamaLog.push(message.trim()) > 20) recentLlamaLog.shift();
    },
  });
  return llamaLoading.catch((error: unknown) => {
    llamaLoading = undefined;
    throw error;
  });
}
