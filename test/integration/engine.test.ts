/**
 * The real engine process (child_process.fork) with the real llama.cpp on the tiny test models. Every load happens in
 * the child: a malformed model can abort it, never this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationEvent, LoadEvent } from '../../assistant/contract/engineContract.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { generationEvents } from '../../assistant/host/generationStream.js';
import { expectMeasured } from '../support/measured.js';
import { sharedFile } from '../support/sharedData.js';

const STORIES = sharedFile('models/stories260K.gguf');
const TINY_LLAMA = sharedFile('models/llama-2-tiny-random.gguf');
const STORY = { messages: [{ role: 'user' as const, text: 'Once upon a time, a little cat' }] };

let dataDir: string;
let host: EngineHost;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-engine-'));
  host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir } }) });
  await host.start();
});
afterAll(async () => {
  await host.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function collect(events: AsyncIterable<GenerationEvent>): Promise<{ tokens: string[]; done: Extract<GenerationEvent, { type: 'done' }> }> {
  const tokens: string[] = [];
  let done: Extract<GenerationEvent, { type: 'done' }> | undefined;
  for await (const event of events) {
    if (event.type === 'token') tokens.push(event.text);
    else done = event;
  }
  if (!done) throw new Error('no done event');
  return { tokens, done };
}

/** Each test loads the model it needs (quick for these tiny files) rather than relying on an earlier test's load. */
async function useModel(path: string, options: { contextSize?: number } = {}) {
  const status = await host.call('models.status', undefined);
  if (status.state === 'ready' && status.model.path === path && (options.contextSize ?? status.model.contextSize) === status.model.contextSize) return status.model;
  return host.call('models.load', { path, threads: 1, ...options });
}

describe('engine process: stories260K (no chat template: format inferred)', () => {
  beforeEach(async () => {
    await useModel(STORIES);
  });

  it('loads on the CPU with the threads asked, says which device and why, reports progress', async () => {
    const progress: LoadEvent[] = [];
    await host.call('models.unload', undefined);
    const loaded = await host.call('models.load', { path: STORIES, threads: 1 }, { onEvent: (event) => progress.push(event) });
    expect(loaded).toMatchObject({
      fileName: 'stories260K.gguf',
      architecture: 'llama',
      contextSize: 2048,
      threads: { threads: 1, source: 'setting' },
      device: { device: 'cpu', gpuLayers: 0, totalLayers: 6, reason: 'Processeur : aucun GPU compatible détecté.' },
      chatFormat: { source: 'inferred' },
    });
    expect(loaded.warnings.join(' ')).toContain('ne contient pas de modèle de conversation');
    expect(progress.at(-1)).toEqual({ type: 'progress', fraction: 1 });
    expect(await host.call('models.status', undefined)).toMatchObject({ state: 'ready', model: { fileName: 'stories260K.gguf' } });
  });

  it('streams a reply token by token, then done with its stats', async () => {
    const { tokens, done } = await collect(generationEvents(host, { ...STORY, maxTokens: 60, seed: 3 }));
    expect(tokens.length).toBeGreaterThan(1);
    expect(done.reason).toBe('maxTokens');
    expect(tokens.join('')).toBe(done.text);
    expect(done.stats.completionTokens).toBe(60);
    expectMeasured(done.stats.timeToFirstTokenMs, 'délai du premier jeton');
    expectMeasured(done.stats.tokensPerSecond, 'jetons par seconde');
  });

  it('the same seed gives the same text; stop strings end the reply', async () => {
    const request = { ...STORY, maxTokens: 40, seed: 42, temperature: 0.9 };
    const first = await collect(generationEvents(host, request));
    const second = await collect(generationEvents(host, request));
    expect(second.done.text).toBe(first.done.text);
    const stopped = await collect(generationEvents(host, { ...STORY, maxTokens: 200, temperature: 0, stop: ['.'] }));
    expect(stopped.done.reason).toBe('stop');
    expect(stopped.done.text).not.toContain('.');
  });

  it('abort mid-stream: the stream ends with what was written, and the engine answers the next request', async () => {
    // That the stream ends at once on the client, whatever the engine still sends, is shown in test/unit/rpc.test.ts.
    const controller = new AbortController();
    let received = 0;
    const { tokens, done } = await collect(
      (async function* () {
        for await (const event of generationEvents(host, { ...STORY, maxTokens: 5000 }, { signal: controller.signal })) {
          if (event.type === 'token' && ++received === 3) controller.abort();
          yield event;
        }
      })(),
    );
    expect(done.reason).toBe('aborted');
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect(done.text).toBe(tokens.join(''));
    const next = await collect(generationEvents(host, { ...STORY, maxTokens: 5 }));
    expect(next.done.reason).toBe('maxTokens');
  });

  it('abort while the prompt is being read: the engine stops reading and answers the next request at once', async () => {
    // ~1,700 tokens: seconds of reading here, tens of seconds for a 7B model on a CPU.
    const long = (n: number) => ({ messages: [{ role: 'user' as const, text: `Story ${n}. ${'Once upon a time a little cat played in the garden with a dog. '.repeat(75)}` }], maxTokens: 1 });
    const full = await host.call('generate', long(1));
    expect(full.stats.evaluatedPromptTokens).toBeGreaterThan(1500);

    const controller = new AbortController();
    const reading = host.call('generate', { ...long(2), maxTokens: 50 }, { signal: controller.signal });
    // One channel, in order: once the engine answers a ping sent after the request, it has taken the request up.
    await host.call('engine.ping', undefined);
    controller.abort();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    // The same prompt again: had the aborted read gone on to its end, the prompt would be in the context already and
    // only its last few tokens would be evaluated now. It stopped early, so most of it is read now.
    const again = await host.call('generate', { ...long(2), maxTokens: 1 });
    expect(again.stats.evaluatedPromptTokens).toBeGreaterThan(again.stats.promptTokens / 2);
    const next = await host.call('generate', { ...STORY, maxTokens: 3 });
    expect(next.reason).toBe('maxTokens');
  });

  it('the system prompt is evaluated once: the next question evaluates only its own tokens', async () => {
    const system = `You tell short stories to children. ${'Every story has a cat, a dog and a happy ending. '.repeat(12)}`;
    const first = await host.call('generate', { system, messages: [{ role: 'user', text: 'A story about the sea.' }], maxTokens: 5 });
    const second = await host.call('generate', { system, messages: [{ role: 'user', text: 'A story about a tree.' }], maxTokens: 5 });
    expect(first.stats.promptTokens).toBeGreaterThan(150);
    expect(second.stats.evaluatedPromptTokens).toBeLessThan(second.stats.promptTokens / 4);
  });

  it('a listener that throws does not break the generation', async () => {
    const stream = host.stream('generate', { ...STORY, maxTokens: 20 }, {
      onEvent: () => {
        throw new Error('bug in the UI');
      },
    });
    const originalError = console.error;
    console.error = () => {};
    try {
      await expect(stream.result).resolves.toMatchObject({ reason: 'maxTokens', stats: { completionTokens: 20 } });
    } finally {
      console.error = originalError;
    }
  });

  it('refuses an invalid request without harm', async () => {
    await expect(host.call('generate', { messages: [{ role: 'assistant', text: 'x' }] })).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-params' });
  });
});

describe('engine process: llama-2-tiny-random (llama-2 tokenizer, chat path)', () => {
  it('chats with the generic format, with a warning, in the context size asked', async () => {
    await host.call('models.unload', undefined);
    const loaded = await host.call('models.load', { path: TINY_LLAMA, threads: 1, contextSize: 1024 });
    expect(loaded).toMatchObject({ contextSize: 1024, quantization: 'F16', chatFormat: { source: 'generic', wrapper: 'General' } });
    expect(loaded.warnings[0]).toContain('format générique');
    const { done } = await collect(
      generationEvents(host, {
        system: 'Tu es un agent de France Services.',
        messages: [
          { role: 'user', text: 'Bonjour' },
          { role: 'assistant', text: 'Bonjour, que puis-je faire pour vous ?' },
          { role: 'user', text: 'Comment refaire ma carte grise ?' },
        ],
        maxTokens: 16,
        temperature: 0,
      }),
    );
    expect(done.reason).toBe('maxTokens');
    expect(done.stats.completionTokens).toBe(16);
  });

  it('unloads, then refuses to generate with a French message', async () => {
    await useModel(TINY_LLAMA, { contextSize: 1024 });
    expect(await host.call('models.status', undefined)).toMatchObject({ state: 'ready' });
    await host.call('models.unload', undefined);
    await expect(host.call('generate', { ...STORY })).rejects.toMatchObject({ name: 'ModelError', code: 'model-not-loaded' });
  });

  it('reports the hardware and its own memory', async () => {
    const hardware = await host.call('hardware.info', undefined);
    expect(hardware.cpu.physicalCores).toBeGreaterThanOrEqual(1);
    expect(hardware.cpu.instructionSets.length).toBeGreaterThan(0);
    expect(hardware.ram.totalBytes).toBeGreaterThan(hardware.ram.freeBytes);
    // lavapipe, the only Vulkan device here, stays hidden without GGML_VK_VISIBLE_DEVICES: no usable GPU, as the CPU
    // choice of the first load says (the GPU paths are in gpuVulkan.test.ts).
    expect(hardware.gpus.find((gpu) => gpu.backend === 'vulkan')).toMatchObject({ usable: false, devices: [] });
    expect(hardware.gpus.filter((gpu) => gpu.usable)).toEqual([]);
    const stats = await host.call('engine.stats', undefined);
    expect(stats.pid).toBe(host.status().pid);
    expect(stats.rssBytes).toBeGreaterThan(20 * 2 ** 20);
  });
});
