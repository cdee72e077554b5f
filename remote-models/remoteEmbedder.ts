import OpenAI from 'openai';
import type { EmbedPassagesOptions, EmbedQueriesOptions, Embedder } from '../native-models/embedder.js';
import { remoteFailure } from './remoteFailure.js';
import { RemoteModelError } from './remoteModelError.js';

/** What {@link openRemoteEmbedder} needs (the assistant resolves policy, URL, key and the model's prefixes). */
export interface RemoteEmbedderOptions {
  /** Base URL of the OpenAI-compatible API: `POST {url}/embeddings`. */
  url: string;
  /** The embedding model's name on the server (bge-m3, multilingual-e5-large…). */
  model: string;
  apiKey?: string;
  fetch?: typeof fetch;
  /** Prefixes the model was trained with (e5: `query: ` / `passage: `). */
  queryPrefix: string;
  passagePrefix: string;
  /** Scales a vector to unit L2 norm (the runtime layer's one helper): every Guichet vector is unit length. */
  normalize: (vector: Float32Array) => Float32Array;
  /** Texts per request. Default 32. */
  batchSize?: number;
}

/**
 * {@link Embedder} on a shared server's `POST /embeddings`: a department whose server hosts a multilingual embedder
 * gets hybrid search without a model on each PC. Its `id` names the server and the model (`remote:host/model`): the
 * index records it, and vectors of another embedder — another server included — are never mixed with these.
 * @throws RemoteModelError when the server is unreachable, refuses, or does not offer the model.
 */
export async function openRemoteEmbedder(options: RemoteEmbedderOptions): Promise<Embedder> {
  const host = new URL(options.url).host;
  const client = new OpenAI({ baseURL: options.url.replace(/\/+$/, ''), apiKey: options.apiKey ?? 'sans-cle', fetch: options.fetch ?? globalThis.fetch, maxRetries: 0, timeout: 120_000 });
  const embed = async (texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> => {
    try {
      const answer = await client.embeddings.create({ model: options.model, input: [...texts], encoding_format: 'float' }, signal ? { signal } : {});
      const vectors = [...answer.data].sort((a, b) => a.index - b.index).map((item) => options.normalize(Float32Array.from(item.embedding)));
      if (vectors.length !== texts.length) throw new RemoteModelError('remote-bad-response', `Le serveur ${host} a renvoyé ${vectors.length} vecteurs pour ${texts.length} textes.`);
      return vectors;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw remoteFailure(error, host);
    }
  };
  const [probe] = await embed(['dimension']);
  const dimension = probe?.length ?? 0;
  if (dimension === 0) throw new RemoteModelError('remote-bad-response', `Le serveur ${host} ne renvoie pas de vecteur pour le modèle « ${options.model} ».`);
  const batchSize = Math.max(1, Math.min(512, options.batchSize ?? 32));
  let disposed = false;
  const batches = async (texts: readonly string[], prefix: string, control: EmbedPassagesOptions): Promise<Float32Array[]> => {
    if (disposed) throw new RemoteModelError('remote-unreachable', `La connexion au serveur ${host} est fermée.`);
    const vectors: Float32Array[] = [];
    for (let at = 0; at < texts.length; at += batchSize) {
      control.signal?.throwIfAborted();
      const batch = await embed(texts.slice(at, at + batchSize).map((text) => `${prefix}${text}`), control.signal);
      for (const vector of batch) {
        if (vector.length !== dimension) throw new RemoteModelError('remote-bad-response', `Le serveur ${host} a changé la taille de ses vecteurs (${vector.length} au lieu de ${dimension}).`);
        vectors.push(vector);
      }
      try {
        control.onProgress?.(vectors.length, texts.length);
      } catch {
        // A throwing listener cannot stop the work.
      }
    }
    return vectors;
  };
  return {
    id: `remote:${host}/${options.model}`,
    dimension,
    embedQueries: (texts: readonly string[], control: EmbedQueriesOptions = {}) => batches(texts, options.queryPrefix, control),
    embedPassages: (texts: readonly string[], control: EmbedPassagesOptions = {}) => batches(texts, options.passagePrefix, control),
    dispose: async () => {
      disposed = true;
    },
  };
}
