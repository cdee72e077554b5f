import type { PassageEncoder } from '../../corpus/index/passageEncoder.js';

/** An embedder the knowledge base can use for hybrid search, and release. */
export type DisposablePassageEncoder = PassageEncoder & { dispose(): Promise<void> };

/** `embedder.path` naming an embedding model of the shared server: `remote:bge-m3`. */
export const REMOTE_EMBEDDER_PREFIX = 'remote:';

/** The shared server an embedder may use, policy already checked (see `remoteTarget`), with its API key. */
export type RemoteAccess = () => Promise<{ url: string; apiKey?: string }>;

/**
 * Opens the embedding model configured by `embedder.path`: an ONNX folder, a GGUF file, or `remote:<model>` — that
 * model on the shared server (`POST {runtime.remote.url}/embeddings`), when policy allows the server.
 * @param threads Threads for the embedder; default: the runtime's choice.
 */
export async function openPassageEncoder(path: string, options: { threads?: number; remote?: RemoteAccess } = {}): Promise<DisposablePassageEncoder> {
  if (path.startsWith(REMOTE_EMBEDDER_PREFIX)) return openRemote(path.slice(REMOTE_EMBEDDER_PREFIX.length), options.remote);
  // Loaded on first use: llama.cpp and transformers.js cost the engine's start-up nothing when no embedder is set.
  const { openEmbedder } = await import('../../native-models/openEmbedder.js');
  return openEmbedder(path, options.threads === undefined ? {} : { threads: options.threads });
}

async function openRemote(model: string, remote: RemoteAccess | undefined): Promise<DisposablePassageEncoder> {
  const [{ openRemoteEmbedder }, { guessEmbedderProfile, normalizeInPlace }, { RemoteModelError }] = await Promise.all([
    import('../../remote-models/remoteEmbedder.js'),
    import('../../native-models/embedder.js'),
    import('../../remote-models/remoteModelError.js'),
  ]);
  if (!model.trim()) throw new RemoteModelError('remote-model-unknown', "Indiquez le modèle d'embedding du serveur : remote:<nom du modèle>, par exemple remote:bge-m3.");
  if (!remote) throw new RemoteModelError('remote-not-allowed', "Aucun serveur de modèle partagé n'est configuré (runtime.remote.url) : les embeddings distants sont indisponibles.");
  const access = await remote();
  const profile = guessEmbedderProfile([model]);
  return openRemoteEmbedder({ ...access, model, queryPrefix: profile.queryPrefix, passagePrefix: profile.passagePrefix, normalize: normalizeInPlace });
}
