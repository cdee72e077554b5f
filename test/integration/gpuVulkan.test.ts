/**
 * The GPU paths on a real Vulkan device: Mesa's lavapipe (llvmpipe), a conformant Vulkan driver that runs on the CPU,
 * installed by `.ci/run` (Debian's mesa-vulkan-drivers). llama.cpp skips CPU-type Vulkan devices unless they are named
 * by GGML_VK_VISIBLE_DEVICES, so the engine processes of these tests get it in their environment: the backend
 * choice, the device report, GPU layers chosen from the VRAM it reports, the measured comparison remembered per
 * model, the fallback when the GPU is unusable, and a GPU that aborts the engine, all run through the real
 * llama.cpp Vulkan binaries. Like an integrated GPU, lavapipe is far slower than the CPU: `auto` must not pick it.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AskEvent } from '../../assistant/ask/askTypes.js';
import type { LoadEvent } from '../../assistant/contract/engineContract.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { generationEvents } from '../../assistant/host/generationStream.js';
import { createModelLibrary } from '../../assistant/models/modelLibrary.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { type DeviceChoice, DeviceChoiceStore, DeviceProbe, deviceChoiceFile } from '../../native-models/deviceProbe.js';
import { inspectGguf } from '../../native-models/ggufInspector.js';
import { chooseGpuLayers } from '../../native-models/memoryPreflight.js';
import { sharedFile } from '../support/sharedData.js';
import { expectMeasured } from '../support/measured.js';
import { sharedFullIndex } from '../support/sharedIndex.js';
import { DEVICE_TIMEOUT_MS, DEVICE_WARM_UP_TIMEOUT_MS, INDEX_BUILD_TIMEOUT_MS } from '../support/timeouts.js';
import { warmUpVulkan } from '../support/vulkanWarmUp.js';

const STORIES = sharedFile('models/stories260K.gguf');
const LAVAPIPE_ICD = '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json';
/** The lavapipe device visible to llama.cpp. */
const VISIBLE = { GGML_VK_VISIBLE_DEVICES: '0' };
/** Buffers of 1 KiB: llama.cpp cannot place the KV cache and aborts its process (GGML_ASSERT), as unstable drivers do. */
const ABORTING = { ...VISIBLE, GGML_VK_FORCE_MAX_BUFFER_SIZE: '1024' };

let dataDir: string;
const hosts: EngineHost[] = [];

function engine(env: Record<string, string>): EngineHost {
  const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir }, env: { ...process.env, ...env } }) });
  hosts.push(host);
  return host;
}

async function choices(): Promise<Record<string, DeviceChoice>> {
  return JSON.parse(await readFile(join(dataDir, 'models', 'device-choices.json'), 'utf8')) as Record<string, DeviceChoice>;
}

beforeAll(async () => {
  if (!existsSync(LAVAPIPE_ICD)) {
    throw new Error(`Pilote Vulkan logiciel absent (${LAVAPIPE_ICD}) : installez les paquets Debian mesa-vulkan-drivers et libvulkan1 (bash .ci/run le fait).`);
  }
  await warmUpVulkan();
}, DEVICE_WARM_UP_TIMEOUT_MS);
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-vulkan-'));
});
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.dispose()));
  await rm(dataDir, { recursive: true, force: true });
});

describe('Vulkan on a real device (lavapipe)', { timeout: DEVICE_TIMEOUT_MS }, () => {
  it('reports the device and its memory, loads every layer on it when asked, and generates there', async () => {
    const host = engine(VISIBLE);
    const hardware = await host.call('hardware.info', undefined);
    const vulkan = hardware.gpus.find((gpu) => gpu.backend === 'vulkan');
    expect(vulkan).toMatchObject({ usable: true, devices: [expect.stringMatching(/^llvmpipe/)] });
    expect(vulkan!.vramTotalBytes).toBeGreaterThan(2 ** 28);

    const loaded = await host.call('models.load', { path: STORIES, threads: 1, gpu: 'vulkan' });
    // 2 GiB of reported VRAM hold the whole model: every layer is offloaded.
    expect(loaded.device).toMatchObject({ device: 'vulkan', gpuLayers: 6, totalLayers: 6, gpuName: expect.stringMatching(/^llvmpipe/) });
    expect(loaded.device.reason).toMatch(/^GPU Vulkan \(llvmpipe.*\) \(réglage runtime\.gpu\)\.$/);
    expect(loaded.warnings.join(' ')).not.toContain('GPU');

    let text = '';
    for await (const event of generationEvents(host, { messages: [{ role: 'user', text: 'Once upon a time' }], maxTokens: 12, temperature: 0 })) {
      if (event.type === 'token') text += event.text;
      else expect(event.stats.completionTokens).toBeGreaterThan(0);
    }
    expect(text.trim().length).toBeGreaterThan(0);
  });

  it('a GPU memory budget (runtime.gpuMemoryMiB): only the layers that fit go to the GPU, the rest run on the CPU', async () => {
    const host = engine(VISIBLE);
    const loaded = await host.call('models.load', { path: STORIES, threads: 1, gpu: 'vulkan', gpuMemoryMiB: 1 });
    const expected = chooseGpuLayers((await inspectGguf(STORIES)).shape, loaded.contextSize, 2 ** 20, 0);
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(6);
    expect(loaded.device).toMatchObject({ device: 'vulkan', gpuLayers: expected, totalLayers: 6 });
    const result = await host.call('generate', { messages: [{ role: 'user', text: 'Once upon a time' }], maxTokens: 12, temperature: 0 });
    expect(result.stats.completionTokens).toBeGreaterThan(0);
    // No budget: everything fits in the 2 GiB lavapipe reports.
    expect((await host.call('models.load', { path: STORIES, threads: 1, gpu: 'vulkan', gpuMemoryMiB: null })).device.gpuLayers).toBe(6);
  });

  it('auto: measures the CPU and the GPU once, keeps the one the measurements favour, and remembers it per model', async () => {
    const events: LoadEvent[] = [];
    const first = await engine(VISIBLE).call('models.load', { path: STORIES, threads: 1, gpu: 'auto' }, { onEvent: (event) => events.push(event) });
    // The agent is told why this first load takes longer.
    expect(events.filter((event) => event.type === 'measuring')).toEqual([
      { type: 'measuring', device: 'cpu' },
      { type: 'measuring', device: 'vulkan' },
    ]);
    const [measured] = Object.values(await choices());
    expect(measured!.measurements.map((m) => m.device)).toEqual(['cpu', 'vulkan']);
    for (const m of measured!.measurements) {
      expectMeasured(m.tokensPerSecond, `${m.device} : rédaction`);
      expectMeasured(m.promptTokensPerSecond, `${m.device} : lecture`);
    }
    // Which device wins is the machine's business (lavapipe is usually far slower than the CPU): the load uses, and
    // remembers, the device that the probe's own rule picks from these measurements, and says why.
    const favoured = new DeviceProbe(new DeviceChoiceStore(deviceChoiceFile(dataDir))).pick(measured!.measurements);
    expect(measured!.device).toBe(favoured);
    expect(first.device.device).toBe(favoured);
    expect(first.device.reason).toMatch(
      favoured === 'cpu' ? /^Processeur : mesuré au moins aussi rapide que le GPU Vulkan \(llvmpipe/ : /^GPU Vulkan \(llvmpipe.*mesur/,
    );

    // A new engine process: the choice is read, not measured again.
    const again: LoadEvent[] = [];
    const second = await engine(VISIBLE).call('models.load', { path: STORIES, threads: 1, gpu: 'auto' }, { onEvent: (event) => again.push(event) });
    expect(again.some((event) => event.type === 'measuring')).toBe(false);
    expect(second.device.reason).toContain('(mesure du ');
    expect(Object.values(await choices())[0]!.measuredAt).toBe(measured!.measuredAt);

    const library = createModelLibrary({ dataDir, settings: defaultSettings() });
    expect(await library.deviceChoice(STORIES)).toMatchObject({ device: 'cpu' });
    await library.forgetDeviceChoice(STORIES);
    expect(await library.deviceChoice(STORIES)).toBeNull();
  });

  it('a GPU asked for but not usable: the model runs on the CPU, and the agent is told', async () => {
    // Without GGML_VK_VISIBLE_DEVICES, llama.cpp's Vulkan backend loads but sees no GPU (lavapipe is a CPU device).
    const host = engine({ GGML_VK_VISIBLE_DEVICES: '' });
    expect((await host.call('hardware.info', undefined)).gpus.find((gpu) => gpu.backend === 'vulkan')).toMatchObject({ usable: false, devices: [] });
    const loaded = await host.call('models.load', { path: STORIES, threads: 1, gpu: 'vulkan' });
    expect(loaded.device).toMatchObject({ device: 'cpu', gpuLayers: 0, reason: "Processeur : le GPU Vulkan demandé n'est pas utilisable." });
    expect(loaded.warnings.join(' ')).toContain("Le GPU Vulkan demandé n'est pas utilisable sur ce PC");
  });

  it('a GPU that aborts the engine during the load: the host survives, loads on the CPU, says so, and remembers', async () => {
    const host = engine(ABORTING);
    const statuses: string[] = [];
    host.onStatus((status) => statuses.push(status.state));
    const loaded = await host.call('models.load', { path: STORIES, threads: 1, gpu: 'vulkan' });
    expect(statuses).toContain('crashed');
    expect(host.status()).toMatchObject({ state: 'ready', recentCrashes: 1 });
    expect(loaded.device).toMatchObject({ device: 'cpu', gpuLayers: 0 });
    expect(loaded.device.reason).toMatch(/^Processeur : le GPU Vulkan a arrêté le moteur lors d'un essai avec ce modèle/);
    expect(loaded.warnings.join(' ')).toContain('--remesurer');
    expect(Object.values(await choices())[0]).toMatchObject({ device: 'cpu', measurements: [{ device: 'vulkan', tokensPerSecond: null, crashed: true }] });

    // The next process does not try that GPU again (no second crash), in `auto` too.
    const again = await engine(ABORTING).call('models.load', { path: STORIES, threads: 1, gpu: 'auto' });
    expect(again.device.device).toBe('cpu');
    expect(hosts.at(-1)!.status().recentCrashes).toBe(0);
  });

  it('a question whose model load is aborted by the GPU is answered on the CPU, without the agent asking again', async () => {
    await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
    const settings = { ...defaultSettings(), 'runtime.threads': 1, 'runtime.gpu': 'vulkan' as const };
    const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings }, env: { ...process.env, ...ABORTING } }) });
    hosts.push(host);
    const events: AskEvent[] = [];
    const answer = await host.call('ask', { question: "Première carte d'identité pour un enfant", modelPath: STORIES, maxTokens: 16, seed: 1 }, { onEvent: (event) => events.push(event) });
    expect(answer.mode).toBe('model');
    expect(host.status().recentCrashes).toBe(1);
    const loading = events.filter((event) => event.type === 'status' && event.stage === 'loading');
    expect(loading.length).toBe(2);
    expect(events.filter((event) => event.type === 'token').length).toBeGreaterThan(0);
    expect(await host.call('models.status', undefined)).toMatchObject({ state: 'ready', model: { device: { device: 'cpu' } } });
    // On a fresh machine the shared index of the three feeds may be built here first.
  }, DEVICE_TIMEOUT_MS + INDEX_BUILD_TIMEOUT_MS);

  it('a GPU that aborts the engine while being measured (auto): same outcome, no crash loop', async () => {
    const host = engine(ABORTING);
    const loaded = await host.call('models.load', { path: STORIES, threads: 1, gpu: 'auto' });
    expect(host.status().recentCrashes).toBe(1);
    expect(loaded.device.device).toBe('cpu');
    expect(loaded.warnings.join(' ')).toContain('Le GPU Vulkan a arrêté le moteur');
    // A load that does not touch the GPU is not retried: a model that crashes on the CPU is reported, not looped on.
    expect(await host.call('models.load', { path: STORIES, threads: 1, gpu: 'auto' })).toMatchObject({ device: { device: 'cpu' } });
    expect(host.status().recentCrashes).toBe(1);
  });
});
