import { mkdir, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EvalJournal, JOURNAL_FILE, readJournal, type EvalRunKey } from '../../assistant/eval/evalJournal.js';
import type { EvalRecord } from '../../assistant/eval/evalRecord.js';
import { energyBetween, readEnergy } from '../../native-models/energyMeter.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-eval-unit-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fake powercap tree: package zones with their sub-zones, as Linux lays them out. */
async function powercap(zones: Record<string, { energy: number; max: number; name: string }>): Promise<string> {
  const root = await tempDir();
  for (const [zone, { energy, max, name }] of Object.entries(zones)) {
    await mkdir(join(root, zone), { recursive: true });
    await writeFile(join(root, zone, 'energy_uj'), `${energy}\n`);
    await writeFile(join(root, zone, 'max_energy_range_uj'), `${max}\n`);
    await writeFile(join(root, zone, 'name'), `${name}\n`);
  }
  return root;
}

describe('energy counters', () => {
  it('sums the package zones, not their sub-zones, and counts a wrap-around through the maximum', async () => {
    const before = await readEnergy(
      await powercap({ 'intel-rapl:0': { energy: 1_000_000, max: 10_000_000, name: 'package-0' }, 'intel-rapl:0:0': { energy: 5, max: 10, name: 'core' }, 'intel-rapl:1': { energy: 9_500_000, max: 10_000_000, name: 'package-1' } }),
    );
    expect(before?.map((z) => z.zone)).toEqual(['intel-rapl:0', 'intel-rapl:1']);
    const after = await readEnergy(await powercap({ 'intel-rapl:0': { energy: 3_500_000, max: 10_000_000, name: 'package-0' }, 'intel-rapl:1': { energy: 500_000, max: 10_000_000, name: 'package-1' } }));
    // 2.5 J on package 0, and 1 J across the wrap of package 1.
    expect(energyBetween(before, after)).toBeCloseTo(3.5);
  });

  it('reads AMD zones, and gives null for no counters or unreadable ones', async () => {
    expect(await readEnergy(await powercap({ 'amd-rapl:0': { energy: 10, max: 100, name: 'package-0' } }))).toHaveLength(1);
    expect(await readEnergy(join(await tempDir(), 'absent'))).toBeNull();
    expect(await readEnergy(await tempDir())).toBeNull();
    const root = await powercap({ 'intel-rapl:0': { energy: 10, max: 100, name: 'package-0' } });
    await rm(join(root, 'intel-rapl:0', 'energy_uj'));
    expect(await readEnergy(root)).toBeNull();
    expect(energyBetween(null, null)).toBeNull();
  });
});

const key: EvalRunKey = { questionsSha256: 'q1', corpusVersion: 'c1', settings: 's1' };

function record(questionId: string): EvalRecord {
  return {
    questionId,
    mode: 'model',
    stopReason: 'stop',
    answer: `Réponse ${questionId}`,
    extracts: 1,
    score: { marks: 0, validMarks: 0, invalidNumbers: [], citedFiches: [], citesGold: false, declines: false, facts: { expected: 0, found: [], missing: [] }, chars: 10, words: 2 },
    timings: { searchMs: 1, promptReadMs: 1, firstTokenMs: 1, ttftMs: 3, totalMs: 4 },
    tokens: { prompt: 1, evaluatedPrompt: 1, completion: 1 },
    writingTokensPerSecond: 1,
    readingTokensPerSecond: 1,
    energy: { joules: 1, source: 'estimation' },
    cpuMs: 1,
    maxRssBytes: 1,
    warnings: [],
  };
}

describe('resume bookkeeping', () => {
  it('keeps answers per model key, and ignores a last line cut by a kill', async () => {
    const dir = await tempDir();
    const journal = await EvalJournal.open(dir, key, { resume: false });
    await journal.append({ type: 'answer', model: 'a.gguf:1:x', record: record('q1') });
    await journal.append({ type: 'answer', model: 'b.gguf:2:y', record: record('q1') });
    await journal.append({ type: 'answer', model: 'a.gguf:1:x', record: record('q2') });
    await appendFile(join(dir, JOURNAL_FILE), '{"type":"answer","model":"a.gguf:1:x","record":{"questionId":"q3"');
    const resumed = await EvalJournal.open(dir, key, { resume: true });
    expect([...resumed.state.answers.get('a.gguf:1:x')!.keys()]).toEqual(['q1', 'q2']);
    expect([...resumed.state.answers.get('b.gguf:2:y')!.keys()]).toEqual(['q1']);
    expect(resumed.resumed).toBe(true);
    // The next entry starts on its own line: the cut one stays ignored, nothing is lost.
    await resumed.append({ type: 'answer', model: 'a.gguf:1:x', record: record('q3') });
    const again = readJournal(await readFile(join(dir, JOURNAL_FILE), 'utf8'), key);
    expect([...again.answers.get('a.gguf:1:x')!.keys()]).toEqual(['q1', 'q2', 'q3']);
  });

  it('a changed model file is another model: its answers start from nothing', () => {
    const text = [JSON.stringify({ type: 'run', key, startedAt: 'x' }), JSON.stringify({ type: 'answer', model: 'a.gguf:1:x', record: record('q1') })].join('\n');
    expect(readJournal(text, key).answers.get('a.gguf:1:y')).toBeUndefined();
  });

  it.each([
    [{ ...key, questionsSha256: 'other' }, /jeu de questions/],
    [{ ...key, corpusVersion: 'other' }, /corpus/],
    [{ ...key, settings: 'other' }, /réglages/],
  ])('refuses to resume another run (%j)', (other, message) => {
    const text = JSON.stringify({ type: 'run', key, startedAt: 'x' });
    expect(() => readJournal(text, other)).toThrow(message);
  });

  it('starts anew without --resume, and says when there is nothing to resume', async () => {
    const dir = await tempDir();
    await expect(EvalJournal.open(dir, key, { resume: true })).rejects.toThrow(/Aucune évaluation interrompue/);
    const journal = await EvalJournal.open(dir, key, { resume: false });
    await journal.append({ type: 'answer', model: 'a', record: record('q1') });
    const fresh = await EvalJournal.open(dir, key, { resume: false });
    expect(fresh.state.answers.size).toBe(0);
    expect((await EvalJournal.open(dir, key, { resume: true })).state.answers.size).toBe(0);
  });
});
