import { describe, expect, it } from 'vitest';
import {
  computeFeedbackStats,
  formatDurationFr,
  formatShareFr,
  formatStatsFr,
  median,
  type FeedbackEntry,
  type FeedbackVerdict,
} from '../../assistant/feedback/feedbackStats.js';

const CONV = '2026-11-16T08-00-00-000-abcdef';

function entry(messageId: string, verdict: FeedbackVerdict, at: string, secondsToCopy?: number): FeedbackEntry {
  return { conversationId: CONV, messageId, verdict, at, ...(secondsToCopy === undefined ? {} : { secondsToCopy }) };
}

describe('feedback statistics', () => {
  it('takes the median of odd and even counts, and null when empty', () => {
    expect(median([])).toBeNull();
    expect(median([42])).toBe(42);
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([5, 5, 100, 1])).toBe(5);
  });

  it('gives the pilots’ figure: 6 drafts out of 10 used as-is', () => {
    const entries = Array.from({ length: 10 }, (_, n) =>
      entry(`m${n}`, n < 6 ? 'used-as-is' : n < 9 ? 'edited' : 'discarded', `2026-11-17T09:0${n}:00.000Z`, n < 9 ? 10 * (n + 1) : undefined),
    );
    const stats = computeFeedbackStats(entries, { timeZone: 'Europe/Paris' });
    expect(stats).toMatchObject({ drafts: 10, usedAsIs: 6, edited: 3, discarded: 1, shareUsedAsIs: 0.6, medianSecondsToCopy: 50, since: null });
    expect(formatShareFr(stats)).toBe('6 brouillons sur 10 utilisés tels quels (60 %)');
    expect(stats.byWeek).toEqual([{ weekStart: '2026-11-16', drafts: 10, usedAsIs: 6, edited: 3, discarded: 1, shareUsedAsIs: 0.6, medianSecondsToCopy: 50 }]);
  });

  it('counts a draft once, with its last verdict and its first time to copy', () => {
    const stats = computeFeedbackStats([
      entry('m1', 'edited', '2026-11-17T09:05:00.000Z'),
      entry('m1', 'used-as-is', '2026-11-17T09:01:00.000Z', 30),
      entry('m2', 'discarded', '2026-11-17T09:02:00.000Z'),
    ]);
    expect(stats).toMatchObject({ drafts: 2, usedAsIs: 0, edited: 1, discarded: 1, shareUsedAsIs: 0, medianSecondsToCopy: 30 });
  });

  it('splits by week in the given time zone and honours since', () => {
    const entries = [
      entry('a', 'used-as-is', '2026-11-08T22:30:00.000Z', 20), // Sunday 23:30 in Paris: week of 2 November
      entry('b', 'edited', '2026-11-08T23:30:00.000Z', 40), // Monday 00:30 in Paris: week of 9 November
      entry('c', 'used-as-is', '2026-11-12T10:00:00.000Z', 60),
    ];
    const stats = computeFeedbackStats(entries, { timeZone: 'Europe/Paris' });
    expect(stats.byWeek.map((w) => [w.weekStart, w.drafts, w.medianSecondsToCopy])).toEqual([
      ['2026-11-02', 1, 20],
      ['2026-11-09', 2, 50],
    ]);
    const recent = computeFeedbackStats(entries, { since: new Date('2026-11-09T00:00:00.000Z'), timeZone: 'Europe/Paris' });
    expect(recent).toMatchObject({ drafts: 1, usedAsIs: 1, since: '2026-11-09T00:00:00.000Z' });
  });

  it('gives empty figures without feedback, and says so in French', () => {
    const stats = computeFeedbackStats([]);
    expect(stats).toEqual({ since: null, drafts: 0, usedAsIs: 0, edited: 0, discarded: 0, shareUsedAsIs: null, medianSecondsToCopy: null, byWeek: [] });
    expect(formatStatsFr(stats)).toContain("Aucun retour enregistré pour l'instant.");
    expect(formatShareFr(stats)).toBe('Aucun brouillon évalué');
  });

  it('formats French text with the right agreements and durations', () => {
    expect(formatShareFr({ drafts: 3, usedAsIs: 1, edited: 1, discarded: 1, shareUsedAsIs: 1 / 3, medianSecondsToCopy: null })).toBe(
      '1 brouillon sur 3 utilisé tel quel (33 %)',
    );
    expect(formatDurationFr(42.4)).toBe('42 s');
    expect(formatDurationFr(85)).toBe('1 min 25 s');
    expect(formatDurationFr(120)).toBe('2 min');
    expect(formatDurationFr(7500)).toBe('2 h 05 min');
    const text = formatStatsFr(
      computeFeedbackStats(
        [entry('a', 'used-as-is', '2026-11-03T10:00:00.000Z', 85), entry('b', 'discarded', '2026-11-10T10:00:00.000Z')],
        { timeZone: 'Europe/Paris' },
      ),
    );
    expect(text).toBe(
      [
        'Retours sur les brouillons (ce poste uniquement)',
        '1 brouillon sur 2 utilisé tel quel (50 %), 0 modifié, 1 écarté.',
        'Temps médian entre la question et la copie : 1 min 25 s.',
        'Par semaine :',
        '- semaine du 2 novembre 2026 : 1 brouillon sur 1 utilisé tel quel (100 %), temps médian 1 min 25 s',
        '- semaine du 9 novembre 2026 : 0 brouillon sur 1 utilisé tel quel (0 %)',
      ].join('\n'),
    );
  });
});
