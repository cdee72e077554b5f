import { Worker } from 'node:worker_threads';

/** What the header reader extracts from a GGUF file: plain data, small enough to cross a thread. */
export interface GgufHeader {
  version: number;
  architecture: string | undefined;
  name: string | undefined;
  fileType: number | undefined;
  /** The architecture's own keys (`llama.block_count`… without the prefix), numbers only. */
  arch: Record<string, number | undefined>;
  chatTemplate: string | undefined;
  vocabSize: number;
  /** What node-llama-cpp would pick for chat from the metadata alone (`Llama2Chat`, `JinjaTemplate`…). */
  chatWrapperGuess: string | undefined;
  tensors: { name: string; type: number; elements: number; fileOffset: number }[];
}

/** The reader's outcome: the header, or why it failed (`timeout` = the parser did not finish). */
export type GgufHeaderOutcome = { ok: true; header: GgufHeader } | { ok: false; reason: 'parse' | 'timeout'; message: string };

// Runs in a worker thread: plain JavaScript (no TypeScript loader there), the parser imported by absolute URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const num = (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined);
import(workerData.url).then(async (m) => {
  const info = await m.readGgufFileInfo(workerData.path, { readTensorInfo: true, logWarnings: false });
  const md = info.metadata ?? {};
  const architecture = md.general?.architecture;
  const flat = {};
  const walk = (obj, prefix) => {
    for (const [k, v] of Object.entries(obj ?? {})) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + '.');
      else if (num(v) !== undefined) flat[prefix + k] = num(v);
    }
  };
  walk(architecture ? md[architecture] : undefined, '');
  let guess;
  try { guess = m.resolveChatWrapper({ fileInfo: info, filename: workerData.fileName, warningLogs: false })?.wrapperName; } catch {}
  const tokens = md.tokenizer?.ggml?.tokens;
  parentPort.postMessage({ ok: true, header: {
    version: info.version, architecture, name: md.general?.name, fileType: num(md.general?.file_type), arch: flat,
    chatTemplate: typeof md.tokenizer?.chat_template === 'string' ? md.tokenizer.chat_template : undefined,
    vocabSize: Array.isArray(tokens) ? tokens.length : 0, chatWrapperGuess: guess,
    tensors: (info.fullTensorInfo ?? info.tensorInfo ?? []).map((t) => ({ name: t.name, type: t.ggmlType,
      elements: t.dimensions.reduce((a, d) => a * Number(d), 1), fileOffset: Number(t.fileOffset ?? t.offset) })),
  } });
}).catch((e) => parentPort.postMessage({ ok: false, reason: 'parse', message: String((e && e.message) || e) }));
`;

const PARSER_URL = import.meta.resolve('node-llama-cpp');

/**
 * Reads a GGUF header with node-llama-cpp's `readGgufFileInfo` in a worker thread, killed after `timeoutMs` or
 * when its heap passes `maxHeapMb`. A few overwritten bytes can send the parser into an endless, memory-hungry loop
 * (seen here: 500 MB in 3 s); in the caller's thread that would freeze the CLI or the engine.
 */
export function readGgufHeader(path: string, fileName: string, options: { timeoutMs: number; maxHeapMb?: number }): Promise<GgufHeaderOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { url: PARSER_URL, path, fileName },
      resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 512 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (outcome: GgufHeaderOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', message: `lecture de l'en-tête interrompue après ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    worker.on('message', (message: GgufHeaderOutcome) => finish(message));
    worker.on('error', (error) => finish({ ok: false, reason: 'parse', message: error.message }));
    worker.on('exit', (code) => finish({ ok: false, reason: 'parse', message: `lecteur arrêté (code ${code})` }));
  });
}
