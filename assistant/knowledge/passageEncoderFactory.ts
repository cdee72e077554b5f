import type { PassageEncoder } from '../../corpus/index/passageEncoder.js';
import { openEmbedder } from '../../native-models/openEmbedder.js';

/** An embedder the knowledge base can use for hybrid search, and release. */
export type DisposablePassageEncoder = PassageEncoder & { dispose(): Promise<void> };

/**
 * Opens the embedding model configured by `embedder.path` (an ONNX folder or a GGUF file).
 * @param threads Threads for the embedder; default: the runtime's choice.
 */
export async function openPassageEncoder(path: string, options: { threads?: number } = {}): Promise<DisposablePassageEncoder> {
  return openEmbedder(path, options.threads === undefined ? {} : { threads: options.threads });
}
