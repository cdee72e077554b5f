/** How to reach the server's root (without `/v1`), where llama.cpp serves its own endpoints. */
export interface ServerRoot {
  root: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
}

/**
 * The context one request may use as llama.cpp's server runs it: `GET /props`, `default_generation_settings.n_ctx`
 * (its `--ctx-size` divided among its parallel slots). `/models` only gives the model's training context there
 * (`meta.n_ctx_train`), which the server may not serve. `undefined` when the server has no such endpoint (vLLM, a
 * gateway) or says nothing usable: the caller falls back on `/models` and the settings.
 */
export async function servedContextSize(server: ServerRoot, signal?: AbortSignal): Promise<number | undefined> {
  let props: unknown;
  try {
    const response = await server.fetch(`${server.root}/props`, { headers: server.headers, ...(signal ? { signal } : {}) });
    if (!response.ok) {
      await response.body?.cancel();
      return undefined;
    }
    props = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
  const value = (props as { default_generation_settings?: { n_ctx?: unknown } } | null)?.default_generation_settings?.n_ctx;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
