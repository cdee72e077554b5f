import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceChoiceStore, deviceModelKey, DeviceProbe, type DeviceSpeed, typicalAnswerSeconds } from '../../native-models/deviceProbe.js';
import { parseInstructionSets } from '../../native-models/hardware.js';
import type { ComputeDevice } from '../../native-models/modelRuntime.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-probe-'));
  file = join(dir, 'models', 'device-choices.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function measurer(speeds: Partial<Record<ComputeDevice, number | Error>>) {
  const calls: ComputeDevice[] = [];
  // Reading ten times faster than writing, on every device: the typical answer's time follows the figure given.
  const measure = async (device: ComputeDevice): Promise<DeviceSpeed> => {
    calls.push(device);
    const speed = speeds[device];
    if (speed instanceof Error) throw speed;
    return { tokensPerSecond: speed ?? 0, promptTokensPerSecond: (speed ?? 0) * 10 };
  };
  return { calls, measure };
}

describe('DeviceProbe: measured GPU/CPU comparison, remembered per model', () => {
  const key = deviceModelKey('mistral.gguf', 4_370_000_000);

  it('chooses a GPU only when clearly faster than the CPU', async () => {
    const probe = new DeviceProbe(new DeviceChoiceStore(file));
    expect((await probe.choose(key, ['vulkan'], measurer({ cpu: 5, vulkan: 9 }).measure)).choice.device).toBe('vulkan');
    const slowIgpu = new DeviceProbe(new DeviceChoiceStore(join(dir, 'other.json')));
    expect((await slowIgpu.choose(key, ['vulkan'], measurer({ cpu: 5, vulkan: 5.4 }).measure)).choice.device).toBe('cpu');
  });

  it('weighs reading and writing as a typical answer does: an iGPU that reads much faster wins, one that only writes faster may not', async () => {
    const probe = new DeviceProbe(new DeviceChoiceStore(file));
    const cpu = { device: 'cpu' as const, tokensPerSecond: 8, promptTokensPerSecond: 40 };
    // Same writing speed, reading 10× faster: 45 + 31 s against 4.5 + 31 s.
    expect(probe.pick([cpu, { device: 'vulkan', tokensPerSecond: 8, promptTokensPerSecond: 400 }])).toBe('vulkan');
    // Writing 25 % faster but reading 3× slower: slower answers.
    expect(probe.pick([cpu, { device: 'vulkan', tokensPerSecond: 10, promptTokensPerSecond: 13 }])).toBe('cpu');
    expect(typicalAnswerSeconds(cpu)).toBeCloseTo(1800 / 40 + 250 / 8);
    // A choice recorded before reading was measured still reads.
    expect(typicalAnswerSeconds({ tokensPerSecond: 10 })).toBeCloseTo(25);
    expect(typicalAnswerSeconds({ tokensPerSecond: null })).toBe(Number.POSITIVE_INFINITY);
  });

  it('a GPU that fails during the measurement is recorded and the CPU kept', async () => {
    const probe = new DeviceProbe(new DeviceChoiceStore(file));
    const { choice } = await probe.choose(key, ['vulkan'], measurer({ cpu: 5, vulkan: new Error('vk::DeviceLostError') }).measure);
    expect(choice.device).toBe('cpu');
    expect(choice.measurements).toContainEqual({ device: 'vulkan', tokensPerSecond: null, error: 'vk::DeviceLostError' });
  });

  it('remembers the outcome in the data dir and does not measure again', async () => {
    const first = measurer({ cpu: 4, vulkan: 12 });
    await new DeviceProbe(new DeviceChoiceStore(file)).choose(key, ['vulkan'], first.measure);
    expect(first.calls).toEqual(['cpu', 'vulkan']);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, { device: string }>;
    expect(saved[key]?.device).toBe('vulkan');

    const second = measurer({ cpu: 4, vulkan: 12 });
    const again = await new DeviceProbe(new DeviceChoiceStore(file)).choose(key, ['vulkan'], second.measure);
    expect(again).toMatchObject({ remembered: true, choice: { device: 'vulkan' } });
    expect(second.calls).toEqual([]);
  });

  it('measures again when the remembered GPU is gone, or the file is damaged', async () => {
    const store = new DeviceChoiceStore(file);
    await new DeviceProbe(store).choose(key, ['cuda'], measurer({ cpu: 4, cuda: 40 }).measure);
    const now = measurer({ cpu: 4, vulkan: 4 });
    expect((await new DeviceProbe(store).choose(key, ['vulkan'], now.measure)).remembered).toBe(false);
    await writeFile(file, '{ pas du json');
    const after = measurer({ cpu: 4 });
    expect((await new DeviceProbe(store).choose(key, [], after.measure)).choice.device).toBe('cpu');
    expect(after.calls).toEqual(['cpu']);
  });
});

describe('parseInstructionSets', () => {
  it('keeps the instruction sets llama.cpp reports as used, not its build features', () => {
    const info = 'CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 0 | FMA = 1 | LLAMAFILE = 1 | REPACK = 1 | ';
    expect(parseInstructionSets(info)).toEqual(['SSE3', 'SSSE3', 'AVX', 'AVX2', 'FMA']);
    expect(parseInstructionSets('CPU : NEON = 1 | ARM_FMA = 1 | DOTPROD = 0')).toEqual(['NEON', 'ARM_FMA']);
  });
});
