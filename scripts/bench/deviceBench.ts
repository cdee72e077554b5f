/**
 * `npm run bench -- devices`: the CPU against a real Vulkan device, through the engine process, and what the measured
 * comparison of `runtime.gpu = auto` costs at a model's first load. On the development machine the Vulkan device is
 * Mesa's lavapipe (a Vulkan driver that runs on the CPU), like a weak integrated GPU: `auto` must keep the CPU.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComputeDevice } from '../../assistant/api.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { type BenchSection, median } from './benchReport.js';
import { MODEL, REQUEST, runEngine } from './generationBench.js';

const LAVAPIPE_ICD = '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json';
const TITLE = 'Périphériques : processeur et GPU Vulkan (stories260K, 1 thread, 80 jetons, via le moteur)';

export async function deviceBench(): Promise<BenchSection[]> {
  // llama.cpp ignores CPU-type Vulkan devices unless named; a real GPU needs no such variable.
  const env = { ...process.env, ...(existsSync(LAVAPIPE_ICD) && !process.env.GGML_VK_VISIBLE_DEVICES ? { GGML_VK_VISIBLE_DEVICES: '0' } : {}) };
  const dataDir = await mkdtemp(join(tmpdir(), 'guichet-bench-'));
  const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir }, env }) });
  try {
    const gpu = (await host.call('hardware.info', undefined)).gpus.find((info) => info.usable);
    if (!gpu) return [{ title: TITLE, figures: [], notes: ['Aucun GPU utilisable : paquets mesa-vulkan-drivers et libvulkan1 absents, ou pilote absent.'] }];

    let started = performance.now();
    const first = await host.call('models.load', { path: MODEL, threads: 1, gpu: 'auto' });
    const firstLoadMs = performance.now() - started;
    started = performance.now();
    await host.call('models.load', { path: MODEL, threads: 1, gpu: 'auto' });
    const laterLoadMs = performance.now() - started;

    const speed = async (device: ComputeDevice): Promise<number> => {
      await host.call('models.load', { path: MODEL, threads: 1, gpu: device });
      const short = { ...REQUEST, maxTokens: 80 };
      await runEngine(host, short);
      const runs: number[] = [];
      for (let round = 0; round < 5; round++) runs.push((await runEngine(host, short)).tokensPerSecond);
      return median(runs);
    };
    const cpu = await speed('cpu');
    const onGpu = await speed(gpu.backend);
    return [
      {
        title: TITLE,
        figures: [
          { name: 'processeur (médiane de 5)', value: cpu, unit: 'jetons/s' },
          { name: `${gpu.backend} — ${gpu.devices[0] ?? 'GPU'} (médiane de 5)`, value: onGpu, unit: 'jetons/s' },
          { name: 'ratio GPU / processeur', value: onGpu / cpu, unit: '' },
          { name: 'premier chargement en auto (comparaison incluse)', value: firstLoadMs, unit: 'ms' },
          { name: 'chargement suivant (choix mémorisé)', value: laterLoadMs, unit: 'ms' },
        ],
        notes: [`Choix de runtime.gpu = auto : ${first.device.reason}`, 'Le premier passage sur Vulkan compile les shaders (cache Mesa ensuite).'],
      },
    ];
  } finally {
    await host.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}
