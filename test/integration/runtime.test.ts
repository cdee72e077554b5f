/**
 * Runtime behaviour that depends on the file and the settings, checked in the engine process: a GGUF's own chat
 * template, settings-driven load options, context capped to the trained length.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { loadOptionsFromSettings } from '../../assistant/settings/modelLoadOptions.js';
import { loadSettings } from '../../assistant/settings/settingsStore.js';
import { CHATML_TEMPLATE, withMetadata } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';

const STORIES = sharedFile('models/stories260K.gguf');
const TINY_LLAMA = sharedFile('models/llama-2-tiny-random.gguf');

let dir: string;
let host: EngineHost;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-runtime-'));
  host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir: dir } }) });
});
afterAll(async () => {
  await host.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('model runtime in the engine process', () => {
  it("uses the GGUF's own chat template through node-llama-cpp (ChatML here, as Qwen 2.5 ships)", async () => {
    const withTemplate = await withMetadata(TINY_LLAMA, join(dir, 'chatml.gguf'), { 'tokenizer.chat_template': { type: 'string', value: CHATML_TEMPLATE } });
    const loaded = await host.call('models.load', { path: withTemplate, threads: 1 });
    expect(loaded.chatFormat).toEqual({ source: 'gguf', wrapper: 'ChatML' });
    expect(loaded.warnings).toEqual([]);
    const reply = await host.call('generate', { system: 'Tu es un assistant.', messages: [{ role: 'user', text: 'Bonjour' }], maxTokens: 4 });
    expect(reply.stats.completionTokens).toBe(4);
  });

  it('takes threads, device and context from the settings (GUICHET_THREADS through the settings layer)', async () => {
    const settings = await loadSettings({ policyPath: join(dir, 'aucune-politique.json'), userPath: join(dir, 'settings.json'), env: { GUICHET_THREADS: '1' } });
    const options = loadOptionsFromSettings({ ...settings.values, 'runtime.gpu': 'cpu', 'runtime.contextSize': 1024 }, STORIES);
    const loaded = await host.call('models.load', options);
    expect(loaded.threads).toMatchObject({ threads: 1, source: 'setting' });
    expect(loaded.device).toMatchObject({ device: 'cpu', reason: 'Processeur (réglage runtime.gpu = cpu).' });
    expect(loaded.contextSize).toBe(1024);
  });

  it('caps a context beyond the trained length, and says so', async () => {
    const loaded = await host.call('models.load', { path: STORIES, threads: 1, contextSize: 16_384 });
    expect(loaded.contextSize).toBe(2048);
    expect(loaded.warnings.join(' ')).toContain('Contexte ramené de 16\u202f384 à 2\u202f048 jetons');
  });

  it('a prompt longer than the context is refused in French, not truncated silently', async () => {
    const long = 'The cat sat on the mat. '.repeat(600);
    await expect(host.call('generate', { messages: [{ role: 'user', text: long }], maxTokens: 8 })).rejects.toMatchObject({
      name: 'ModelError',
      code: 'generation-failed',
      message: expect.stringContaining('trop longs pour le modèle'),
    });
  });
});
