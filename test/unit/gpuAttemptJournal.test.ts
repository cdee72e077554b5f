import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceChoiceStore, DeviceProbe } from '../../native-models/deviceProbe.js';
import { GpuAttemptJournal, unfinishedGpuAttempt } from '../../native-models/gpuAttemptJournal.js';

let dir: string;
let file: string;
let lines: string[];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-journal-'));
  file = join(dir, 'models', 'gpu-attempts.json');
  lines = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const KEY = 'mistral.gguf:4370000000';
const journal = (alive: (pid: number) => boolean = () => false): GpuAttemptJournal =>
  new GpuAttemptJournal(file, { isAlive: alive, announce: (line) => lines.push(line) });

describe('GpuAttemptJournal: a GPU attempt that kills the engine is known afterwards', () => {
  it('records the attempt while it runs, announces start and end, and forgets it after', async () => {
    let during: unknown;
    const result = await journal().run(KEY, { device: 'vulkan', fileName: 'mistral.gguf' }, async () => {
      during = JSON.parse(await readFile(file, 'utf8'));
      return 42;
    });
    expect(result).toBe(42);
    expect(during).toMatchObject({ [KEY]: { device: 'vulkan', fileName: 'mistral.gguf', pid: process.pid } });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({});
    expect(unfinishedGpuAttempt(lines.join('\n'))).toBeUndefined();
    expect(unfinishedGpuAttempt(lines[0]!)).toEqual({ device: 'vulkan', fileName: 'mistral.gguf' });
  });

  it('a failure that throws (not a crash) is not recorded as a crash', async () => {
    await expect(journal().run(KEY, { device: 'cuda', fileName: 'm.gguf' }, () => Promise.reject(new Error('out of memory')))).rejects.toThrow('out of memory');
    expect(await journal().takeCrashed(KEY)).toBeUndefined();
  });

  it('an attempt left by a dead process is a crash, read once; one of a live process (or this one) is not', async () => {
    const never = new Promise<never>(() => {});
    void journal().run(KEY, { device: 'vulkan', fileName: 'mistral.gguf' }, () => never);
    await expect.poll(async () => (await readFile(file, 'utf8').catch(() => '')).includes(KEY)).toBe(true);
    // Same process: still running, not a crash.
    expect(await journal().takeCrashed(KEY)).toBeUndefined();
    // Written by another process (the dead engine): rewrite the pid.
    const all = JSON.parse(await readFile(file, 'utf8')) as Record<string, { pid: number }>;
    all[KEY]!.pid = 999_999_999;
    await writeFile(file, JSON.stringify(all));
    expect(await journal(() => true).takeCrashed(KEY)).toBeUndefined();
    expect(await journal(() => false).takeCrashed(KEY)).toMatchObject({ device: 'vulkan', fileName: 'mistral.gguf', pid: 999_999_999 });
    expect(await journal(() => false).takeCrashed(KEY)).toBeUndefined();
  });

  it('reads the unfinished attempt from the end of a dead engine’s error output', () => {
    const tail = ['[guichet] essai GPU vulkan : a.gguf', "[guichet] fin de l'essai GPU", '[guichet] essai GPU cuda : Lucie 7B.gguf', 'ggml-backend.cpp:941: GGML_ASSERT'].join('\n');
    expect(unfinishedGpuAttempt(tail)).toEqual({ device: 'cuda', fileName: 'Lucie 7B.gguf' });
    expect(unfinishedGpuAttempt(`${tail}\n[guichet] fin de l'essai GPU`)).toBeUndefined();
    expect(unfinishedGpuAttempt('GGML_ASSERT(tensor) failed')).toBeUndefined();
  });
});

describe('DeviceProbe: GPU crashes', () => {
  it('records a crash as a CPU choice, keeps other measurements, and forgets on demand', async () => {
    const probe = new DeviceProbe(new DeviceChoiceStore(join(dir, 'choices.json')));
    await probe.choose(KEY, ['vulkan'], async (device) => (device === 'cpu' ? { tokensPerSecond: 5, promptTokensPerSecond: 50 } : { tokensPerSecond: 9, promptTokensPerSecond: 90 }));
    expect((await probe.remembered(KEY))?.device).toBe('vulkan');
    await probe.recordCrash(KEY, 'vulkan', '2026-11-21T10:00:00.000Z');
    expect(await probe.remembered(KEY)).toEqual({
      device: 'cpu',
      measuredAt: '2026-11-21T10:00:00.000Z',
      measurements: [{ device: 'cpu', tokensPerSecond: 5, promptTokensPerSecond: 50 }, { device: 'vulkan', tokensPerSecond: null, error: expect.stringContaining('arrêté'), crashed: true }],
    });
    // Remembered: the crashed GPU is not measured again by itself.
    expect((await probe.choose(KEY, ['vulkan'], () => Promise.reject(new Error('measured')))).remembered).toBe(true);
    await probe.forget(KEY);
    expect(await probe.remembered(KEY)).toBeUndefined();
  });
});
