import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { loadSettings, type SettingsSources } from '../../assistant/settings/settingsStore.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

/** Settings with policy locks, health, the models list and a corpus import with progress, through the engine. */
let work: string;
let engine: EngineHost;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-platform-'));
  const sources: SettingsSources = { policyPath: join(work, 'policy.json'), userPath: join(work, 'data', 'settings.json'), env: {} };
  await writeFile(sources.policyPath, JSON.stringify({ 'runtime.threads': 1, 'network.allowDownloads': false }));
  const settings = await loadSettings(sources);
  engine = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir: join(work, 'data'), settings: settings.values, settingsSources: sources } }) });
});

afterAll(async () => {
  await engine.dispose();
  await rm(work, { recursive: true, force: true });
});

describe('engine platform methods', () => {
  it('reports an empty knowledge base, then imports a feed with progress', async () => {
    const before = await engine.call('health', undefined);
    expect(before.corpus).toBeNull();
    expect(before.model).toEqual({ state: 'empty' });
    expect(before.warnings.join(' ')).toMatch(/Aucune fiche/);
    const progress: number[] = [];
    const report = await engine.call('corpus.import', { from: sharedFile(DILA_FEEDS.associations) }, {
      onEvent: (event) => progress.push(event.done),
    });
    expect(report.changes.added).toBeGreaterThan(90);
    expect(progress.length).toBeGreaterThan(3);
    const after = await engine.call('health', undefined);
    expect(after.corpus?.fiches).toBe(report.manifest.counts.fiches);
    expect(after.warnings.join(' ')).toMatch(/date de [\d\s\u202f]+ jours/);
  });

  it('shows which settings policy locks, and refuses to change them', async () => {
    const settings = await engine.call('settings.get', undefined);
    expect(settings.locked.sort()).toEqual(['network.allowDownloads', 'runtime.threads']);
    await expect(engine.call('settings.set', { key: 'runtime.threads', value: 2 })).rejects.toMatchObject({ name: 'SettingsError', code: 'setting-locked' });
    const changed = await engine.call('settings.set', { key: 'runtime.gpu', value: 'cpu' });
    expect(changed.values['runtime.gpu']).toBe('cpu');
    await expect(engine.call('corpus.import', { from: 'https://lecomarquage.service-public.fr/vdd/3.4/asso/zip/vosdroits-latest.zip' })).rejects.toMatchObject({
      name: 'AssistantError',
      code: 'download-forbidden',
    });
  });

  it('lists the model catalog with a fit verdict for this PC', async () => {
    const models = await engine.call('models.list', undefined);
    expect(models.catalog.map((m) => m.id)).toEqual(expect.arrayContaining([expect.stringMatching(/lucie/i), expect.stringMatching(/mistral/i)]));
    expect(models.totalRamBytes).toBeGreaterThan(0);
  });

  it('settings changed through settings.set apply at once (the next reply’s AI mention); one read at start says it needs a restart', async () => {
    await engine.call('settings.set', { key: 'replies.aiMention', value: 'Rédigé avec une aide automatique, relu par la CAF.' });
    const draft = await engine.call('reply.draft', { testimony: 'Bonjour, comment créer une association ? Merci.', modelPath: sharedFile('models/stories260K.gguf') });
    expect(draft.reply.trimEnd().endsWith('Rédigé avec une aide automatique, relu par la CAF.')).toBe(true);
    const set = await engine.call('settings.set', { key: 'embedder.path', value: null });
    expect(set.restartRequired).toEqual(['embedder.path']);
  });
});

