import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectGguf } from '../../native-models/ggufInspector.js';
import { ModelError } from '../../native-models/modelError.js';
import { badModels, CHATML_TEMPLATE, withMetadata } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';

const STORIES = sharedFile('models/stories260K.gguf');
const TINY_LLAMA = sharedFile('models/llama-2-tiny-random.gguf');

let dir: string;
let bad: Awaited<ReturnType<typeof badModels>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-gguf-'));
  bad = await badModels(dir, STORIES);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function refusal(path: string, timeoutMs?: number): Promise<ModelError> {
  const error = await inspectGguf(path, timeoutMs ? { timeoutMs } : {}).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('GGUF inspection of the real test models', () => {
  it('stories260K: llama, F32, 5 layers, 2k context, no chat template', async () => {
    const summary = await inspectGguf(STORIES);
    expect(summary).toMatchObject({
      fileName: 'stories260K.gguf',
      sizeBytes: 1_185_376,
      ggufVersion: 3,
      architecture: 'llama',
      quantization: 'F32',
      kind: 'chat',
      hasChatTemplate: false,
      tensorCount: 48,
    });
    expect(summary.shape).toEqual({ weightsBytes: 1_185_376, layers: 5, heads: 8, kvHeads: 4, headDim: 8, vocabSize: 512, trainContext: 2048 });
  });

  it('llama-2-tiny-random: F16 from general.file_type, llama-2 vocabulary of 32,000 tokens, 4k context', async () => {
    const summary = await inspectGguf(TINY_LLAMA);
    expect(summary).toMatchObject({ name: 'LLaMA v2', quantization: 'F16', kind: 'chat', hasChatTemplate: false });
    expect(summary.shape).toMatchObject({ layers: 1, vocabSize: 32_000, trainContext: 4096 });
  });

  it('a chat template in the file is seen, and node-llama-cpp maps it to its wrapper', async () => {
    const withTemplate = await withMetadata(TINY_LLAMA, join(dir, 'chatml.gguf'), { 'tokenizer.chat_template': { type: 'string', value: CHATML_TEMPLATE } });
    expect(await inspectGguf(withTemplate)).toMatchObject({ hasChatTemplate: true, chatFormatGuess: 'ChatML' });
  });

  it('an embedding model (pooling declared) is recognised as such', async () => {
    expect((await inspectGguf(bad.embedding)).kind).toBe('embedding');
  });
});

describe('GGUF inspection of bad files: a clear French error naming the file', () => {
  it('missing file', async () => {
    const error = await refusal(join(dir, 'absent.gguf'));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain('absent.gguf');
  });

  it('random bytes', async () => {
    const error = await refusal(bad.random);
    expect(error.code).toBe('model-unreadable');
    expect(error.message).toBe("aleatoire.gguf n'est pas un modèle GGUF (en-tête « GGUF » absent) : fichier corrompu ou d'un autre format.");
  });

  it('truncated: the header is intact, the tensors end beyond the file', async () => {
    const error = await refusal(bad.truncated);
    expect(error.code).toBe('model-unreadable');
    expect(error.message).toMatch(/tronque\.gguf est incomplet : 592\s688 octets sur 1\s185\s376 attendus/);
  });

  it('a header the parser never finishes: stopped by the time limit, the caller never hangs', async () => {
    const started = Date.now();
    const error = await refusal(bad.endless, 1500);
    // The message says the time limit stopped the parse (a parse that ends on its own says something else).
    expect(error.message).toContain("sans-fin.gguf est illisible : la lecture de l'en-tête ne se termine pas");
    expect(Date.now() - started).toBeLessThan(30_000); // clock: the 1.5 s limit must stop an endless parse, not hang
  });

  it('a directory', async () => {
    expect((await refusal(dir)).code).toBe('model-not-found');
  });
});
