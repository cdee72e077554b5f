import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../native-models/embedder.js';
import { ModelError } from '../../native-models/modelError.js';
import { openEmbedder } from '../../native-models/openEmbedder.js';
import { sharedFile } from '../support/sharedData.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

let stories: string;
let scratch: string;
let embedder: Embedder;

async function expectModelError(promise: Promise<unknown>, code: ModelError['code']): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe(code);
  return error as ModelError;
}

/**
 * Opens `file` with openEmbedder in a child process and returns what it printed: llama.cpp may abort the whole
 * process on a malformed GGUF, which must never take the test runner down with it.
 */
function openInChild(file: string): { status: number | null; signal: string | null; result: unknown } {
  const entry = fileURLToPath(new URL('../../native-models/openEmbedder.ts', import.meta.url));
  const script = `const { openEmbedder } = await import(${JSON.stringify(entry)});
try {
  const embedder = await openEmbedder(${JSON.stringify(file)}, { threads: 1 });
  console.log(JSON.stringify({ opened: embedder.dimension }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, message: error.message }));
}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  return { status: child.status, signal: child.signal, result: last === '' ? undefined : JSON.parse(last) };
}

beforeAll(async () => {
  stories = sharedFile('models/stories260K.gguf');
  scratch = await mkdtemp(join(tmpdir(), 'guichet-gguf-embedder-'));
  // One thread: more slows these tiny models sharply on this 2-vCPU machine.
  embedder = await openEmbedder(stories, { threads: 1, batchSize: 3 });
});

afterAll(async () => {
  await embedder?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe('GGUF embedder through node-llama-cpp', () => {
  it('reads its dimension from the model and names itself after the file', async () => {
    const info = await readGgufFileInfo(stories, { readTensorInfo: false });
    const embeddingLength = (info.architectureMetadata as { embedding_length?: number }).embedding_length;
    expect(embedder.id).toBe('stories260K.gguf');
    expect(embedder.dimension).toBe(embeddingLength);
    expect(embedder.dimension).toBe(64);
  });

  it('returns unit vectors, identical for identical texts, zero for an empty one', async () => {
    const vectors = await embedder.embedPassages(['Once upon a time', 'a little dog', 'Once upon a time', '']);
    for (const vector of vectors.slice(0, 3)) {
      expect(vector.length).toBe(64);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
    expect(Array.from(vectors[2]!)).toEqual(Array.from(vectors[0]!));
    expect(dot(vectors[0]!, vectors[1]!)).toBeLessThan(0.9999);
    expect(Array.from(vectors[3]!)).toEqual(new Array(64).fill(0));
  });

  it('cuts a text longer than its context instead of failing', async () => {
    const long = 'The little girl went to the park and played with her friends. '.repeat(400);
    const [vector] = await embedder.embedPassages([long]);
    expect(vector!.length).toBe(64);
    expect(Math.sqrt(dot(vector!, vector!))).toBeCloseTo(1, 5);
  });

  it('reports progress per batch and stops when aborted mid-way', async () => {
    const texts = Array.from({ length: 9 }, (_, i) => `story number ${i}`);
    const progress: [number, number][] = [];
    await embedder.embedPassages(texts, { onProgress: (done, total) => progress.push([done, total]) });
    expect(progress).toEqual([
      [3, 9],
      [6, 9],
      [9, 9],
    ]);

    const controller = new AbortController();
    const seen: number[] = [];
    const run = embedder.embedPassages(texts, {
      signal: controller.signal,
      onProgress: (done) => {
        seen.push(done);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([3]);
  });

  it('can be disposed twice, and refuses to embed afterwards', async () => {
    const own = await openEmbedder(stories, { threads: 1 });
    await own.dispose();
    await own.dispose();
    await expectModelError(own.embedQueries(['x']), 'model-not-loaded');
  });
});

describe('GGUF embedder on bad input', () => {
  it('reports a missing file, naming it', async () => {
    const missing = join(scratch, 'absent.gguf');
    const error = await expectModelError(openEmbedder(missing, {}), 'model-not-found');
    expect(error.message).toContain(missing);
  });

  it('refuses a file that is not a GGUF before llama.cpp sees it', async () => {
    const text = join(scratch, 'notes.gguf');
    await writeFile(text, 'Ceci est un fichier texte, pas un modèle.\n'.repeat(100));
    const error = await expectModelError(openEmbedder(text, {}), 'embedder-unreadable');
    expect(error.message).toContain(text);
    expect(error.message).toContain('GGUF');
  });

  it('reports a GGUF truncated in its header, in a child process', async () => {
    const truncated = join(scratch, 'header-cut.gguf');
    await writeFile(truncated, (await readFile(stories)).subarray(0, 2_000));
    const child = openInChild(truncated);
    expect(child.signal).toBeNull();
    expect(child.result).toMatchObject({ name: 'ModelError', code: 'embedder-unreadable' });
    expect((child.result as { message: string }).message).toContain(truncated);
  });

  it('reports a GGUF truncated in its tensors, in a child process', async () => {
    const truncated = join(scratch, 'half.gguf');
    await writeFile(truncated, (await readFile(stories)).subarray(0, 600_000));
    const child = openInChild(truncated);
    expect(child.signal).toBeNull();
    expect(child.result).toMatchObject({ name: 'ModelError', code: 'embedder-unreadable' });
  });

  it('reports a GGUF magic followed by random bytes, in a child process', async () => {
    const garbage = join(scratch, 'garbage.gguf');
    const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 256));
    bytes.write('GGUF', 0, 'latin1');
    await writeFile(garbage, bytes);
    const child = openInChild(garbage);
    expect(child.signal).toBeNull();
    expect(child.result).toMatchObject({ name: 'ModelError', code: 'embedder-unreadable' });
  });
});
