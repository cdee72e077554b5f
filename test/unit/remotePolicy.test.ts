import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RemoteModelError } from '../../remote-models/remoteModelError.js';
import { retryAfterSeconds, statusFailure } from '../../remote-models/remoteFailure.js';
import { aesGcmLineCipher } from '../../assistant/history/lineCipher.js';
import { FileSecretStore, remoteApiKey } from '../../assistant/settings/remoteApiKey.js';
import { hostAllowed, isLoopback, masksBeforeModel, remoteTarget } from '../../assistant/settings/remotePolicy.js';
import { defaultSettings, type Settings } from '../../assistant/settings/settingsSchema.js';
import { loadSettings, saveUserSetting } from '../../assistant/settings/settingsStore.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';

function settings(overrides: Partial<Settings>): Settings {
  return { ...defaultSettings(), ...overrides };
}

function refusal(overrides: Partial<Settings>): string {
  try {
    remoteTarget(settings(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteModelError);
    return (error as RemoteModelError).code;
  }
  return 'accepted';
}

describe('shared server policy', () => {
  it('is off unless policy allows it, and only for the hosts it lists, over TLS except to this PC', () => {
    expect(remoteTarget(defaultSettings())).toBeUndefined();
    const url = 'https://llm.dept.gouv.fr/v1';
    expect(refusal({ 'runtime.remote.url': url })).toBe('remote-not-allowed');
    expect(refusal({ 'runtime.remote.url': url, 'remote.allowed': true })).toBe('remote-host-not-allowed');
    expect(refusal({ 'runtime.remote.url': url, 'remote.allowed': true, 'remote.allowedHosts': ['autre.gouv.fr'] })).toBe('remote-host-not-allowed');
    expect(remoteTarget(settings({ 'runtime.remote.url': `${url}/`, 'runtime.remote.model': 'lucie', 'remote.allowed': true, 'remote.allowedHosts': ['LLM.dept.gouv.fr'] }))).toEqual({
      url,
      host: 'llm.dept.gouv.fr',
      model: 'lucie',
      apiKeyFile: null,
    });
    const http = { 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr', '127.0.0.1:8080', 'localhost'] };
    expect(refusal({ ...http, 'runtime.remote.url': 'http://llm.dept.gouv.fr/v1' })).toBe('remote-insecure');
    expect(refusal({ ...http, 'runtime.remote.url': 'http://127.0.0.1:8080/v1' })).toBe('accepted');
    expect(refusal({ ...http, 'runtime.remote.url': 'http://127.0.0.1:8081/v1' })).toBe('remote-host-not-allowed');
    expect(refusal({ ...http, 'runtime.remote.url': 'http://localhost:9000/v1' })).toBe('accepted');
    expect(refusal({ ...http, 'runtime.remote.url': 'ftp://llm.dept.gouv.fr/v1' })).toBe('remote-bad-url');
    expect(refusal({ ...http, 'runtime.remote.url': 'https://moi:secret@llm.dept.gouv.fr/v1' })).toBe('remote-bad-url');
  });

  it('matches host entries with any port and host:port entries with that port only', () => {
    expect(hostAllowed(new URL('https://a.gouv.fr:8443/v1'), ['a.gouv.fr'])).toBe(true);
    expect(hostAllowed(new URL('https://a.gouv.fr/v1'), ['a.gouv.fr:443'])).toBe(true);
    expect(hostAllowed(new URL('https://a.gouv.fr:8443/v1'), ['a.gouv.fr:443'])).toBe(false);
    expect(hostAllowed(new URL('https://a.gouv.fr.evil.fr/v1'), ['a.gouv.fr'])).toBe(false);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('[::1]')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });

  it('masks before a shared server unless policy itself turns masking off', () => {
    const off = settings({ 'privacy.maskBeforeModel': false });
    expect(masksBeforeModel(off, [], false)).toBe(false);
    expect(masksBeforeModel(off, [], true)).toBe(true);
    expect(masksBeforeModel(off, ['privacy.maskBeforeModel'], true)).toBe(false);
    expect(masksBeforeModel(settings({ 'privacy.maskBeforeModel': true }), [], false)).toBe(true);
  });

  it('ignores the policy-only keys in the user’s settings, says so in French, and refuses to set them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-remote-policy-'));
    const sources = { policyPath: join(dir, 'policy.json'), userPath: join(dir, 'settings.json'), env: {} };
    await writeFile(sources.userPath, JSON.stringify({ 'remote.allowed': true, 'remote.allowedHosts': ['x.fr'], 'runtime.remote.url': 'https://x.fr/v1' }));
    const resolved = await loadSettings(sources);
    expect(resolved.values['remote.allowed']).toBe(false);
    expect(resolved.values['remote.allowedHosts']).toEqual([]);
    expect(resolved.values['runtime.remote.url']).toBe('https://x.fr/v1');
    expect(resolved.warnings.map((w) => w.message).join('\n')).toMatch(/« remote\.allowed » ne peut être fixé que par la politique machine/);
    await expect(saveUserSetting(sources, 'remote.allowed', true)).rejects.toMatchObject({ code: 'setting-locked', message: expect.stringMatching(/politique machine/) });
    await writeFile(sources.policyPath, JSON.stringify({ 'remote.allowed': true, 'remote.allowedHosts': ['x.fr'] }));
    const allowed = await loadSettings(sources);
    expect(allowed.values['remote.allowed']).toBe(true);
    expect(allowed.locked).toEqual(expect.arrayContaining(['remote.allowed', 'remote.allowedHosts']));
  });

  it('reads the key from the policy’s file first, else the one stored on this PC with 0600 permissions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-remote-key-'));
    const store = FileSecretStore.forDataDir(dir);
    expect(await remoteApiKey(null, store)).toBeUndefined();
    await store.write(' cle-saisie \n');
    expect(await remoteApiKey(null, store)).toBe('cle-saisie');
    expect((await stat(join(dir, 'secrets', 'remote-api-key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets'))).mode & 0o777).toBe(0o700);
    await writeFile(join(dir, 'policy-key'), 'cle-dsi\n');
    expect(await remoteApiKey(join(dir, 'policy-key'), store)).toBe('cle-dsi');
    const missing = await remoteApiKey(join(dir, 'absente'), store).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'remote-key-unreadable' });
    await store.clear();
    expect(await remoteApiKey(null, store)).toBeUndefined();
  });

  it('seals the key entered here with the desktop app’s data key, and seals a key stored in plain before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-remote-key-'));
    const file = join(dir, 'secrets', 'remote-api-key');
    const cipher = aesGcmLineCipher(randomBytes(32));
    await FileSecretStore.forDataDir(dir).write('cle-en-clair');
    const sealed = FileSecretStore.forDataDir(dir, cipher);
    expect(sealed.protection).toBe('sealed');
    expect(await sealed.read()).toBe('cle-en-clair');
    expect(await readFile(file, 'utf8')).not.toContain('cle-en-clair');
    await sealed.write('cle-saisie');
    expect(await readFile(file, 'utf8')).not.toContain('cle-saisie');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await remoteApiKey(null, sealed)).toBe('cle-saisie');
    // The CLI has no data key: it says so in French instead of sending the sealed text as a key.
    expect(FileSecretStore.forDataDir(dir).protection).toBe('plain');
    await expect(FileSecretStore.forDataDir(dir).read()).rejects.toMatchObject({ code: 'remote-key-unreadable', message: expect.stringContaining('chiffrée') });
    await expect(FileSecretStore.forDataDir(dir, aesGcmLineCipher(randomBytes(32))).read()).rejects.toMatchObject({ code: 'remote-key-unreadable' });
  });

  it('types HTTP failures in French and crosses the engine boundary revived', () => {
    expect(statusFailure(401, null, 'h', undefined).code).toBe('remote-unauthorized');
    expect(statusFailure(403, null, 'h', undefined).code).toBe('remote-unauthorized');
    expect(statusFailure(503, null, 'h', undefined).code).toBe('remote-server-error');
    expect(retryAfterSeconds('12')).toBe(12);
    // An HTTP date, read against a fixed « now »: no clock in the assertion.
    const now = Date.UTC(2026, 11, 1, 9, 0, 0);
    expect(retryAfterSeconds(new Date(now + 30_000).toUTCString(), now)).toBe(30);
    expect(retryAfterSeconds(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    const error = statusFailure(429, '12', 'llm.dept.gouv.fr', 'cause');
    expect(error.message).toBe('Le serveur llm.dept.gouv.fr est saturé de demandes (429). Réessayez dans 12 s.');
    const revived = ENGINE_ERRORS.revive(ENGINE_ERRORS.serialize(error));
    expect(revived).toBeInstanceOf(RemoteModelError);
    expect(revived).toMatchObject({ code: 'remote-rate-limited', message: error.message });
  });
});
