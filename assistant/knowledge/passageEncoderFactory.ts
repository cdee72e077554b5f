import type { PassageEncoder } from '../../corpus/index/passageEncoder.js';

/** An embedder the knowledge base can use for hybrid search, and release. */
export type DisposablePassageEncoder = PassageEncoder & { dispose(): Promise<void> };

/**
 * Opens the embedding model configured by `embedder.path` (an ONNX folder or a GGUF file).
 * @param threads Threads for the embedder; default: the runtime's choice.
 */
export async function openPassageEncoder(path: string, options: { threads?: number } = {}): Promise<DisposablePassageEncoder> {
  // Loaded on first use: llama.cpp and transformers.js cost the engine's start-up nothing when no embedder is set.
  const { openEmbedder } = await import('../../native-models/openEmbedder.js');
  return openEmbedder(path, options.threads === undefined ? {} : { threads: options.threads });
}
