import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FeedbackStore, type FeedbackInput } from '../../assistant/feedback/feedbackStore.js';

const maskEmails = (text: string): string => text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[COURRIEL]');
const CONV = '2026-11-21T10-15-00-000-abc123';

let dataDir: string;
let store: FeedbackStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-feedback-'));
  let clock = Date.parse('2026-11-17T09:00:00.000Z');
  store = new FeedbackStore({ dataDir, redact: maskEmails, now: () => new Date((clock += 1000)), timeZone: 'Europe/Paris' });
});

describe('FeedbackStore', () => {
  it('records verdicts durably and computes the agent’s figures from the file', async () => {
    await store.record({ conversationId: CONV, messageId: 'm1', verdict: 'used-as-is', secondsToCopy: 30 });
    await store.record({ conversationId: CONV, messageId: 'm2', verdict: 'edited', secondsToCopy: 90 });
    await store.record({ conversationId: CONV, messageId: 'm3', verdict: 'discarded' });
    const reopened = new FeedbackStore({ dataDir, redact: maskEmails });
    const stats = await reopened.stats();
    expect(stats).toMatchObject({ drafts: 3, usedAsIs: 1, edited: 1, discarded: 1, medianSecondsToCopy: 60 });
    expect(stats.shareUsedAsIs).toBeCloseTo(1 / 3);
    expect((await store.stats({ since: new Date('2026-11-17T09:00:02.500Z') })).drafts).toBe(1);
  });

  it('masks comments before writing them', async () => {
    const entry = await store.record({ conversationId: CONV, messageId: 'm1', verdict: 'edited', comment: 'Le citoyen (a.b@example.fr) voulait plus' });
    expect(entry.comment).toBe('Le citoyen ([COURRIEL]) voulait plus');
    const raw = await readFile(join(dataDir, 'feedback.jsonl'), 'utf8');
    expect(raw).not.toContain('a.b@example.fr');
    expect(raw).toContain('[COURRIEL]');
  });

  it('skips a torn or damaged line and keeps recording after it', async () => {
    await store.record({ conversationId: CONV, messageId: 'm1', verdict: 'used-as-is' });
    await appendFile(join(dataDir, 'feedback.jsonl'), '{"verdict":"used-as-is"}\n{"conversationId":"2026-');
    await store.record({ conversationId: CONV, messageId: 'm2', verdict: 'discarded' });
    const { entries, skippedLines } = await store.entries();
    expect(entries.map((e) => e.messageId)).toEqual(['m1', 'm2']);
    expect(skippedLines).toBe(1);
  });

  it('gives empty figures when nothing was recorded', async () => {
    expect(await store.stats()).toMatchObject({ drafts: 0, shareUsedAsIs: null, medianSecondsToCopy: null, byWeek: [] });
  });

  it('refuses malformed feedback with a typed error and writes nothing', async () => {
    const bad: FeedbackInput[] = [
      { conversationId: '../../etc/passwd', messageId: 'm1', verdict: 'edited' },
      { conversationId: CONV, messageId: 'm1/../x', verdict: 'edited' },
      { conversationId: CONV, messageId: 'm1', verdict: 'liked' as FeedbackInput['verdict'] },
      { conversationId: CONV, messageId: 'm1', verdict: 'edited', secondsToCopy: -1 },
      { conversationId: CONV, messageId: 'm1', verdict: 'edited', secondsToCopy: Number.NaN },
    ];
    for (const input of bad) {
      await expect(store.record(input)).rejects.toMatchObject({ name: 'HistoryError', code: 'history-entry-invalid' });
    }
    expect((await store.entries()).entries).toEqual([]);
  });
});
