import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CorpusInfo } from '../knowledge/knowledgeBase.js';

const MIB = 2 ** 20;

/** SHA-256 of a text, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A model file's identity for resuming: name, size and a hash of its first and last MiB. Cheap on a 4 GB file, and
 * two GGUF files of equal size differ in their header (metadata) or their last tensors.
 */
export async function modelIdentity(path: string): Promise<string> {
  const { size } = await stat(path);
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    for (const position of size > 2 * MIB ? [0, size - MIB] : [0]) {
      const buffer = Buffer.alloc(Math.min(MIB, size));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return `${basename(path)}:${size}:${hash.digest('hex').slice(0, 16)}`;
}

/** The corpus's version: when its index generation was built, from which feeds. Changes with every import. */
export function corpusVersion(info: CorpusInfo): string {
  const { builtAt, sources, embedder } = info.manifest;
  return `${builtAt.slice(0, 19)}-${sha256(JSON.stringify({ builtAt, sources, embedder: embedder ?? null })).slice(0, 12)}`;
}
