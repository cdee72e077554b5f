import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gateFeatures } from '../../assistant/engine/featureGate.js';
import { ConversationStore } from '../../assistant/history/conversationStore.js';
import { applyHistoryRetention } from '../../assistant/history/historyRetention.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';

const DAY = 86_400_000;
let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('history retention (policy history.retentionDays)', () => {
  it('deletes at start the conversations whose last message is older than the retention, keeps the others', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guichet-retention-'));
    const today = new Date('2026-06-30T12:00:00Z');
    let clock = today.getTime() - 100 * DAY;
    const store = new ConversationStore({ dataDir, redact: (text) => text, now: () => new Date(clock) });
    const old = await store.create('Carte grise perdue');
    await store.append(old.id, { role: 'agent', text: 'Carte grise perdue' });
    const revived = await store.create('Passeport');
    clock = today.getTime() - 2 * DAY;
    await store.append(revived.id, { role: 'agent', text: 'Passeport, suite' });
    const recent = await store.create('RSA');
    const lines: string[] = [];
    expect(await applyHistoryRetention(store, 30, (line) => lines.push(line), today)).toBe(1);
    expect((await store.list()).conversations.map((c) => c.id).sort()).toEqual([revived.id, recent.id].sort());
    expect(lines.join('\n')).toMatch(/1 conversation\(s\) de plus de 30 jours supprimée/);
    expect(await applyHistoryRetention(store, 30, () => {}, today)).toBe(0);
  });

  it('a store that cannot be read is reported, not a reason to fail the start', async () => {
    const lines: string[] = [];
    const store = { list: async () => Promise.reject(new Error('disque absent')), delete: async () => {} };
    expect(await applyHistoryRetention(store, 7, (line) => lines.push(line))).toBe(0);
    expect(lines[0]).toMatch(/non appliquée : disque absent/);
  });
});

describe('features turned off by policy', () => {
  const module = {
    handlers: {
      'reply.draft': async () => 'brouillon',
      'conversations.export': async () => 'export',
      'corpus.import': async () => 'importé',
      'corpus.pack': async () => 'paquet',
      'corpus.info': async () => null,
    },
  };
  const call = (modules: ReturnType<typeof gateFeatures>, method: string, params?: unknown) =>
    (modules[0]!.handlers as Record<string, (p: unknown, c: unknown) => Promise<unknown>>)[method]!(params, {});

  it('refuse their methods in French, read from the live settings; local corpus imports still work', async () => {
    const settings = { ...defaultSettings(), 'features.replyDrafting': false, 'features.export': false, 'features.corpusUpdate': false };
    const gated = gateFeatures([module as never], settings);
    await expect(call(gated, 'reply.draft', {})).rejects.toMatchObject({ name: 'SettingsError', code: 'feature-disabled', message: expect.stringContaining('rédaction de réponses') });
    await expect(call(gated, 'conversations.export', {})).rejects.toMatchObject({ code: 'feature-disabled', message: expect.stringContaining('features.export') });
    await expect(call(gated, 'corpus.import', { from: 'https://miroir.exemple/vosdroits.zip' })).rejects.toMatchObject({ code: 'feature-disabled' });
    await expect(call(gated, 'corpus.import', { from: '/media/cle/vosdroits.zip' })).resolves.toBe('importé');
    // A pack reads the network with no source (the DILA feeds' address) or with a URL among its sources.
    await expect(call(gated, 'corpus.pack', { output: '/srv/paquet' })).rejects.toMatchObject({ code: 'feature-disabled' });
    await expect(call(gated, 'corpus.pack', { output: '/srv/paquet', from: ['/media/cle/vosdroits-part.zip', 'https://miroir.exemple/vdd/3.4'] })).rejects.toMatchObject({ code: 'feature-disabled' });
    await expect(call(gated, 'corpus.pack', { output: '/srv/paquet', from: ['/media/cle/vosdroits-part.zip'] })).resolves.toBe('paquet');
    await expect(call(gated, 'corpus.info')).resolves.toBeNull();
    settings['features.replyDrafting'] = true;
    await expect(call(gated, 'reply.draft', {})).resolves.toBe('brouillon');
  });
});
