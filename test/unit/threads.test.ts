import { describe, expect, it } from 'vitest';
import { AUTO_THREADS_CEILING, chooseThreads } from '../../native-models/threads.js';

describe('chooseThreads', () => {
  it('automatic: one per physical core, capped', () => {
    expect(chooseThreads(null, 4)).toMatchObject({ threads: 4, source: 'auto', capped: false });
    expect(chooseThreads(undefined, 2).threads).toBe(2);
    expect(chooseThreads(null, 24).threads).toBe(AUTO_THREADS_CEILING);
  });

  it('a setting is honoured up to the physical cores, never beyond', () => {
    expect(chooseThreads(1, 8)).toMatchObject({ threads: 1, source: 'setting', capped: false, explanation: '1 thread (réglage).' });
    const capped = chooseThreads(16, 4);
    expect(capped).toMatchObject({ threads: 4, source: 'setting', capped: true });
    expect(capped.explanation).toContain('4 cœurs physiques');
  });

  it('survives nonsense input', () => {
    expect(chooseThreads(0, 4).source).toBe('auto');
    expect(chooseThreads(Number.NaN, 0).threads).toBe(1);
    expect(chooseThreads(2.7, 4).threads).toBe(2);
  });
});
