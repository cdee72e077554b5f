/**
 * Every bad model file of the issue, made here from the real stories260K, loaded through the real engine process:
 * each gets a clear French error naming the file, the host stays alive, and a good model loads afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost, type EngineStatus } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { ModelError } from '../../native-models/modelError.js';
import { badModels, oversizedCopy } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';

const STORIES = sharedFile('models/stories260K.gguf');

let dir: string;
let bad: Awaited<ReturnType<typeof badModels>>;
let host: EngineHost;
const statuses: EngineStatus[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-bad-'));
  bad = await badModels(dir, STORIES);
  host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir: dir } }) });
  host.onStatus((status) => statuses.push(status));
  await host.start();
});
afterAll(async () => {
  await host.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function loadError(path: string, contextSize?: number): Promise<ModelError> {
  const error = await host.call('models.load', { path, threads: 1, ...(contextSize ? { contextSize } : {}) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('bad model files through the engine process', () => {
  it('each is refused in French, naming the file, and the same engine process carries on', async () => {
    const pid = host.status().pid;
    const cases: [string, string, RegExp][] = [
      [join(dir, 'absent.gguf'), 'model-not-found', /introuvable : .*absent\.gguf/],
      [bad.random, 'model-unreadable', /aleatoire\.gguf n'est pas un modèle GGUF/],
      [bad.truncated, 'model-unreadable', /tronque\.gguf est incomplet/],
      [bad.embedding, 'model-not-chat', /embeddings\.gguf est un modèle d'embeddings .* ne sait pas rédiger/],
    ];
    for (const [path, code, message] of cases) {
      const error = await loadError(path);
      expect(error.code, path).toBe(code);
      expect(error.message, path).toMatch(message);
    }
    expect(host.status()).toMatchObject({ state: 'ready', pid });
  });

  it('a model too large for this PC is refused before loading, with a smaller context or quantization proposed', async () => {
    const huge = await oversizedCopy(STORIES, join(dir, 'geant.gguf'), Math.round(totalmem() * 1.5));
    const error = await loadError(huge);
    expect(error.code).toBe('model-too-large');
    expect(error.message).toMatch(/geant\.gguf ne tient pas dans la mémoire libre de ce PC : il faut environ [\d,]+ Gio \(contexte de [\d\u202f]+ jetons compris\)/);
    expect(error.message).toMatch(/quantification plus petite|contexte plus petit/);
  });

  it('a model without chat template is not an error: it loads with a warning (documented policy)', async () => {
    const loaded = await host.call('models.load', { path: STORIES, threads: 1 });
    expect(loaded.chatFormat.source).not.toBe('gguf');
    expect(loaded.warnings.some((warning) => warning.includes('chat template'))).toBe(true);
  });

  it('a file that makes llama.cpp abort kills only the engine: « illisible ou incompatible », then a good model loads', async () => {
    const firstPid = host.status().pid;
    const error = await loadError(bad.aborting);
    expect(error).toMatchObject({
      code: 'model-crashed',
      message: "Le modèle zero-tetes.gguf est illisible ou incompatible (le moteur s'est arrêté).",
      file: bad.aborting,
    });
    expect(String(error.cause)).toContain('GGML_ASSERT');
    expect(statuses.some((status) => status.state === 'crashed' && status.message === error.message)).toBe(true);

    const loaded = await host.call('models.load', { path: STORIES, threads: 1 });
    expect(loaded.fileName).toBe('stories260K.gguf');
    expect(host.status().pid).not.toBe(firstPid);
    const reply = await host.call('generate', { messages: [{ role: 'user', text: 'Once upon a time' }], maxTokens: 8 });
    expect(reply.stats.completionTokens).toBe(8);
  });
});
