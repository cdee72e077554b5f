import { describe, expect, it } from 'vitest';
import { frenchBytes, frenchDuration, frenchFixed, frenchNumber, frenchPercent } from '../../assistant/contract/frenchNumbers.js';
import { readAfterSubmitText, readingLabel } from '../../assistant/contract/readingText.js';
import { formatBytes, formatNumber, formatPercent, formatSeconds } from '../../renderer/src/lib/text/format.js';

/** Intl writes narrow and plain no-break spaces (« 1 234 », « 42 % »): compared as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('French numbers, one module for the interface, the CLI and the reports', () => {
  it('writes decimals with a comma and thousands with a space', () => {
    expect(plain(frenchNumber(1234.56))).toBe('1 234,6');
    expect(plain(frenchNumber(1234.56, 0))).toBe('1 235');
    expect(frenchFixed(0.78, 3)).toBe('0,780');
    expect(plain(frenchPercent(0.425))).toBe('42,5 %');
    expect(frenchPercent(null)).toBe('—');
  });

  it('writes sizes in binary units, with a decimal when the figure is small', () => {
    expect(frenchBytes(4.5 * 2 ** 30)).toBe('4,5 Gio');
    expect(frenchBytes(350 * 2 ** 20)).toBe('350 Mio');
    expect(frenchBytes(1.2 * 2 ** 20)).toBe('1,2 Mio');
    expect(frenchBytes(800 * 2 ** 10)).toBe('800 Kio');
  });

  it('writes durations in ms, s, then minutes', () => {
    expect(frenchDuration(850)).toBe('850 ms');
    expect(frenchDuration(2_400)).toBe('2,4 s');
    expect(frenchDuration(190_000)).toBe('3 min 10 s');
    expect(frenchDuration(null)).toBe('—');
  });

  it('gives the reading lines of the CLI and the interface the same figures', () => {
    expect(plain(readingLabel(0.6))).toBe('Lecture des extraits : 60 %');
    expect(plain(readingLabel(1.4))).toBe('Lecture des extraits : 100 %');
    expect(plain(readAfterSubmitText({ promptTokens: 1_980, evaluatedPromptTokens: 42, readAfterSubmitMs: 640 }) ?? '')).toBe(
      'Lu après la question : 42 jetons sur 1 980 (2 %), en 0,6 s',
    );
    expect(readAfterSubmitText({ promptTokens: 980, evaluatedPromptTokens: 42, readAfterSubmitMs: null })).toBeNull();
  });

  it('is what the interface shows too', () => {
    expect(plain(formatNumber(12_345))).toBe('12 345');
    expect(formatNumber(12, 1)).toBe('12,0');
    expect(plain(formatPercent(0.624))).toBe('62 %');
    expect(formatBytes(20 * 2 ** 20)).toBe(frenchBytes(20 * 2 ** 20));
    expect(formatSeconds(48.4)).toBe('48 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
  });
});
