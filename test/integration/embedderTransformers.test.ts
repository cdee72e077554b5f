import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../native-models/embedder.js';
import { ModelError } from '../../native-models/modelError.js';
import { openEmbedder } from '../../native-models/openEmbedder.js';
import { sharedDir, sharedFile } from '../support/sharedData.js';

const MINILM = sharedDir('models/embedder-synthetic-minilm');
const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));

let scratch: string;
let embedder: Embedder;

/** Copies the shared (read-only) model folder into a writable temporary one, minus `skip` (relative paths). */
async function copyModel(name: string, skip: readonly string[] = []): Promise<string> {
  const target = join(scratch, name);
  const copy = async (from: string, to: string, relative: string): Promise<void> => {
    await mkdir(to, { recursive: true });
    for (const entry of await readdir(from, { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (skip.includes(path)) continue;
      if (entry.isDirectory()) await copy(join(from, entry.name), join(to, entry.name), path);
      else await writeFile(join(to, entry.name), await readFile(join(from, entry.name)));
    }
  };
  await copy(MINILM, target, '');
  return target;
}

async function expectModelError(promise: Promise<unknown>, code: ModelError['code']): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe(code);
  return error as ModelError;
}

beforeAll(async () => {
  sharedFile('models/embedder-synthetic-minilm/onnx/model.onnx');
  scratch = await mkdtemp(join(tmpdir(), 'guichet-embedder-'));
  embedder = await openEmbedder(MINILM, { threads: 1, batchSize: 4 });
});

afterAll(async () => {
  await embedder?.dispose();
  await rm(scratch, { recursive: true, force: true });
});

describe('transformers.js embedder on a local ONNX folder', () => {
  it('reads its dimension from the model and names itself after the folder', async () => {
    const config = JSON.parse(await readFile(join(MINILM, 'config.json'), 'utf8')) as { hidden_size: number };
    expect(embedder.id).toBe('embedder-synthetic-minilm');
    expect(embedder.dimension).toBe(config.hidden_size);
    expect(embedder.dimension).toBe(384);
  });

  it('returns unit vectors of that dimension, identical for identical texts', async () => {
    const texts = ["carte nationale d'identité", 'permis de conduire', "carte nationale d'identité", '', 'x'.repeat(5000)];
    const vectors = await embedder.embedPassages(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(384);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(Array.from(vectors[2]!)).toEqual(Array.from(vectors[0]!));
    const [again] = await embedder.embedPassages(["carte nationale d'identité"]);
    expect(dot(again!, vectors[0]!)).toBeCloseTo(1, 5);
  });

  it('puts texts that share words closer than unrelated ones', async () => {
    const [lost, renew, boat] = await embedder.embedPassages([
      "perte de la carte nationale d'identité",
      "renouvellement de la carte nationale d'identité",
      'immatriculation bateau plaisance moteur',
    ]);
    expect(dot(lost!, renew!)).toBeGreaterThan(dot(lost!, boat!) + 0.1);
  });

  it('uses no prefix for a MiniLM model, so a query equals the same passage', async () => {
    const [query] = await embedder.embedQueries(['allocation logement']);
    const [passage] = await embedder.embedPassages(['allocation logement']);
    expect(Array.from(query!)).toEqual(Array.from(passage!));
  });

  it('adds e5 prefixes when the folder is an e5 model, unless guichet.json says otherwise', async () => {
    const e5Folder = await copyModel('multilingual-e5-test');
    const e5 = await openEmbedder(e5Folder, { threads: 1 });
    const [query] = await e5.embedQueries(['allocation logement']);
    const [passage] = await e5.embedPassages(['allocation logement']);
    expect(dot(query!, passage!)).toBeLessThan(0.999);
    await e5.dispose();

    await writeFile(join(e5Folder, 'guichet.json'), JSON.stringify({ queryPrefix: '', passagePrefix: '' }));
    const plain = await openEmbedder(e5Folder, { threads: 1 });
    const [plainQuery] = await plain.embedQueries(['allocation logement']);
    const [plainPassage] = await plain.embedPassages(['allocation logement']);
    expect(Array.from(plainQuery!)).toEqual(Array.from(plainPassage!));
    await plain.dispose();
  });

  it('embeds in batches and reports progress after each', async () => {
    const progress: [number, number][] = [];
    const texts = Array.from({ length: 10 }, (_, i) => `démarche numéro ${i}`);
    const vectors = await embedder.embedPassages(texts, { onProgress: (done, total) => progress.push([done, total]) });
    expect(vectors).toHaveLength(10);
    expect(progress).toEqual([
      [4, 10],
      [8, 10],
      [10, 10],
    ]);
  });

  it('stops between batches when aborted mid-way', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const texts = Array.from({ length: 20 }, (_, i) => `fiche pratique ${i}`);
    const run = embedder.embedPassages(texts, {
      signal: controller.signal,
      onProgress: (done) => {
        progress.push(done);
        controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(progress).toEqual([4]);
    await expect(embedder.embedQueries(['x'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('can be disposed twice, and refuses to embed afterwards', async () => {
    const own = await openEmbedder(MINILM, { threads: 1 });
    await own.dispose();
    await own.dispose();
    const error = await expectModelError(own.embedQueries(['x']), 'model-not-loaded');
    expect(error.message).toContain(MINILM);
  });

  it('still embeds when sharp (images, unused) cannot load its native binary', async () => {
    // A child process whose resolver hides sharp's native package, as on a machine where it failed to install.
    const hook = join(scratch, 'hide-sharp.cjs');
    await writeFile(
      hook,
      `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (String(request).startsWith('@img/sharp')) throw Object.assign(new Error('hidden: ' + request), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};`,
    );
    const entry = fileURLToPath(new URL('../../native-models/transformersEmbedder.ts', import.meta.url));
    const script = `const { openTransformersEmbedder } = await import(${JSON.stringify(entry)});
const sharp = await import('sharp').then(() => 'loaded', () => 'broken');
const embedder = await openTransformersEmbedder(${JSON.stringify(MINILM)}, { threads: 1 });
const [vector] = await embedder.embedPassages(['bonjour']);
console.log(JSON.stringify({ sharp, dimension: embedder.dimension, length: vector.length }));
await embedder.dispose();`;
    const child = spawnSync(process.execPath, ['--require', hook, '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).not.toMatch(/Error/);
    expect(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ sharp: 'broken', dimension: 384, length: 384 });
  });
});

describe('transformers.js embedder on bad input', () => {
  it('reports a missing folder, naming it', async () => {
    const missing = join(scratch, 'absent-model');
    const error = await expectModelError(openEmbedder(missing, {}), 'model-not-found');
    expect(error.message).toContain(missing);
  });

  it('reports a folder without tokenizer.json', async () => {
    const folder = await copyModel('no-tokenizer', ['tokenizer.json']);
    const error = await expectModelError(openEmbedder(folder, {}), 'embedder-unreadable');
    expect(error.message).toContain(folder);
    expect(error.message).toContain('tokenizer.json');
  });

  it('reports a folder without any ONNX graph', async () => {
    const folder = await copyModel('no-onnx', ['onnx/model.onnx']);
    const error = await expectModelError(openEmbedder(folder, {}), 'embedder-unreadable');
    expect(error.message).toContain('onnx/model.onnx');
  });

  it('reports an ONNX graph that is random bytes', async () => {
    const folder = await copyModel('random-onnx');
    await writeFile(join(folder, 'onnx', 'model.onnx'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    const error = await expectModelError(openEmbedder(folder, {}), 'embedder-unreadable');
    expect(error.message).toContain(folder);
    expect(error.cause).toBeDefined();
  });

  it('reports an invalid guichet.json', async () => {
    const folder = await copyModel('bad-profile');
    await writeFile(join(folder, 'guichet.json'), '{ "pooling": "max" }');
    const error = await expectModelError(openEmbedder(folder, {}), 'embedder-unreadable');
    expect(error.message).toContain('guichet.json');
  });

  it('asks for the folder when given the .onnx file itself', async () => {
    const error = await expectModelError(openEmbedder(join(MINILM, 'onnx', 'model.onnx'), {}), 'embedder-unreadable');
    expect(error.message).toContain(`(${MINILM})`);
  });
});
