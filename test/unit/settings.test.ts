import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { defaultPolicyPath, loadSettings, saveUserSetting, type SettingsSources } from '../../assistant/settings/settingsStore.js';

let sources: SettingsSources;

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-settings-'));
  sources = { policyPath: join(dir, 'policy.json'), userPath: join(dir, 'data', 'settings.json'), env: {} };
});

describe('settings', () => {
  it('gives the defaults when no file exists', async () => {
    const resolved = await loadSettings(sources);
    expect(resolved.values).toEqual(defaultSettings());
    expect(resolved.locked).toEqual([]);
    expect(resolved.warnings).toEqual([]);
  });

  it('applies policy > environment > user > defaults, and locks what policy sets', async () => {
    await saveUserSetting(sources, 'runtime.threads', 2);
    await saveUserSetting(sources, 'runtime.gpu', 'cpu');
    await writeFile(sources.policyPath, JSON.stringify({ 'runtime.threads': 4, 'network.allowDownloads': false }));
    const resolved = await loadSettings({ ...sources, env: { GUICHET_THREADS: '3' } });
    expect(resolved.values['runtime.threads']).toBe(4);
    expect(resolved.values['runtime.gpu']).toBe('cpu');
    expect(resolved.values['network.allowDownloads']).toBe(false);
    expect(resolved.locked.sort()).toEqual(['network.allowDownloads', 'runtime.threads']);
    const withoutPolicy = await loadSettings({ ...sources, policyPath: join(sources.policyPath, 'absent'), env: { GUICHET_THREADS: '3' } });
    expect(withoutPolicy.values['runtime.threads']).toBe(3);
  });

  it('refuses to change a locked, unknown or invalid setting, and leaves the file as it was', async () => {
    await saveUserSetting(sources, 'runtime.gpu', 'cpu');
    await writeFile(sources.policyPath, JSON.stringify({ 'runtime.threads': 4 }));
    const before = await readFile(sources.userPath, 'utf8');
    await expect(saveUserSetting(sources, 'runtime.threads', 1)).rejects.toMatchObject({ code: 'setting-locked' });
    await expect(saveUserSetting(sources, 'nope', 1)).rejects.toMatchObject({ code: 'setting-unknown' });
    await expect(saveUserSetting(sources, 'runtime.gpu', 'quantum')).rejects.toMatchObject({ code: 'setting-invalid' });
    expect(await readFile(sources.userPath, 'utf8')).toBe(before);
  });

  it('starts locked down, saying why in French, when the policy file has a syntax error', async () => {
    await saveUserSetting(sources, 'network.allowDownloads', true);
    await writeFile(sources.policyPath, '{ "runtime.threads": 4, ');
    const resolved = await loadSettings(sources);
    expect(resolved.values['network.allowDownloads']).toBe(false);
    expect(resolved.values['corpus.autoFetch']).toBe(false);
    expect(resolved.values['features.corpusUpdate']).toBe(false);
    expect(resolved.values['runtime.threads']).toBeNull();
    expect(resolved.locked).toEqual(expect.arrayContaining(['network.allowDownloads', 'corpus.autoFetch', 'features.corpusUpdate']));
    expect(resolved.policy).toMatchObject({ state: 'broken', reason: expect.stringMatching(/politique machine .* invalide : ce n’est pas du JSON valide.*mode restreint/i) });
    expect(resolved.warnings.map((w) => w.message)).toContain((resolved.policy as { reason: string }).reason);
    await expect(saveUserSetting(sources, 'network.allowDownloads', true)).rejects.toMatchObject({ code: 'setting-locked' });
  });

  it('an unknown key or an invalid value breaks the whole policy (never half-applied), naming what is wrong', async () => {
    await writeFile(sources.policyPath, JSON.stringify({ 'runtime.threads': -3, 'features.export': false, bogus: true }));
    const resolved = await loadSettings({ ...sources, env: { GUICHET_THREADS: 'many' } });
    expect(resolved.values['runtime.threads']).toBeNull();
    expect(resolved.values['features.export']).toBe(true);
    expect(resolved.values['network.allowDownloads']).toBe(false);
    const reason = (resolved.policy as { reason: string }).reason;
    expect(reason).toContain('« bogus »');
    expect(reason).toContain('« runtime.threads »');
    expect(resolved.warnings.map((w) => w.source)).toEqual(['env', 'policy']);
    await writeFile(sources.policyPath, '[1, 2]');
    expect((await loadSettings(sources)).policy.state).toBe('broken');
  });

  it('applies features, retention and limits from policy, locked; accepts $schema; no environment variable overrides it', async () => {
    await saveUserSetting(sources, 'features.history', true);
    await writeFile(
      sources.policyPath,
      `\uFEFF${JSON.stringify({ $schema: './policy.schema.json', 'features.history': false, 'features.replyDrafting': false, 'history.retentionDays': 30, 'runtime.threads': 2, 'runtime.gpu': 'cpu', 'interface.serviceName': 'France Services de Figeac' })}`,
    );
    const resolved = await loadSettings({ ...sources, env: { GUICHET_THREADS: '8' } });
    expect(resolved.policy.state).toBe('applied');
    expect(resolved.values).toMatchObject({ 'features.history': false, 'features.replyDrafting': false, 'history.retentionDays': 30, 'runtime.threads': 2, 'runtime.gpu': 'cpu' });
    expect(resolved.locked.sort()).toEqual(['features.history', 'features.replyDrafting', 'history.retentionDays', 'interface.serviceName', 'runtime.gpu', 'runtime.threads']);
    expect(resolved.values['network.allowDownloads']).toBe(true);
    await expect(saveUserSetting(sources, 'features.history', true)).rejects.toMatchObject({ code: 'setting-locked' });
  });

  it('knows where IT puts the policy on each OS', () => {
    expect(defaultPolicyPath('linux')).toBe('/etc/guichet/policy.json');
    expect(defaultPolicyPath('win32', 'C:\\ProgramData')).toBe('C:\\ProgramData\\Guichet\\policy.json');
  });
});
