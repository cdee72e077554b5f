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

  it('turns downloads off, visibly, when the policy file has a syntax error', async () => {
    await writeFile(sources.policyPath, '{ "runtime.threads": 4, ');
    const resolved = await loadSettings(sources);
    expect(resolved.values['network.allowDownloads']).toBe(false);
    expect(resolved.values['corpus.autoFetch']).toBe(false);
    expect(resolved.locked).toContain('network.allowDownloads');
    expect(resolved.warnings[0]?.message).toMatch(/politique machine .* illisible/i);
  });

  it('ignores invalid values and unknown keys with a warning', async () => {
    await writeFile(sources.policyPath, JSON.stringify({ 'runtime.threads': -3, bogus: true }));
    const resolved = await loadSettings({ ...sources, env: { GUICHET_THREADS: 'many' } });
    expect(resolved.values['runtime.threads']).toBeNull();
    expect(resolved.warnings).toHaveLength(3);
  });

  it('knows where IT puts the policy on each OS', () => {
    expect(defaultPolicyPath('linux')).toBe('/etc/guichet/policy.json');
    expect(defaultPolicyPath('win32', 'C:\\ProgramData')).toBe('C:\\ProgramData\\Guichet\\policy.json');
  });
});
