/**
 * What the corpus needs of an embedding model: the runtime layer's embedders fit this shape, the corpus never
 * imports them (layers point downward; the assistant hands one in).
 */
export interface PassageEncoder {
  /** Stable name of the model: vectors of another model are never mixed with these. */
  readonly id: string;
  /** Vector size, read from the model at load time. */
  readonly dimension: number;
  embedPassages(
    texts: readonly string[],
    options?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
  ): Promise<Float32Array[]>;
  embedQueries(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}
