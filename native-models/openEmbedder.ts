import { stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { type Embedder, type EmbedderOptions, unreadable } from './embedder.js';
import { openGgufEmbedder } from './ggufEmbedder.js';
import { ModelError } from './modelError.js';
import { openTransformersEmbedder } from './transformersEmbedder.js';

/**
 * Opens the embedding model at `path`, whatever its format: a folder is a transformers.js ONNX model
 * (`config.json`, `tokenizer.json`, `onnx/model.onnx`), a file is a GGUF model run by llama.cpp. This is what the
 * `embedder.path` setting points at. Load it in the engine process: a corrupt GGUF can abort its process.
 *
 * @param path Absolute or relative path of the model folder or GGUF file.
 * @param options `threads` (default: parallelism capped at 4) and `batchSize` (default 16).
 * @throws ModelError `model-not-found` when nothing exists at `path`, `embedder-unreadable` when it is not a usable
 *   embedding model; the French message names the path.
 */
export async function openEmbedder(path: string, options: EmbedderOptions = {}): Promise<Embedder> {
  const absolute = resolve(path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(absolute)).isDirectory();
  } catch (error) {
    throw new ModelError('model-not-found', `Le modèle d'embedding ${absolute} est introuvable.`, {
      cause: error,
      file: absolute,
    });
  }
  if (isDirectory) return openTransformersEmbedder(absolute, options);
  if (extname(absolute).toLowerCase() === '.onnx') {
    // A common mistake: the ONNX graph alone cannot run without its tokenizer and config, which sit in the folder.
    const folder = basename(dirname(absolute)) === 'onnx' ? dirname(dirname(absolute)) : dirname(absolute);
    throw unreadable(absolute, `indiquez le dossier du modèle (${folder}), pas le fichier .onnx`);
  }
  return openGgufEmbedder(absolute, options);
}
