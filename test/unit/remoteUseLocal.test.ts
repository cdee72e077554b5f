import { describe, expect, it } from 'vitest';
import { remoteModule } from '../../assistant/engine/remoteModule.js';
import type { RuntimeSelection } from '../../assistant/engine/runtimeSelection.js';
import type { SecretStore } from '../../assistant/settings/remoteApiKey.js';
import { defaultSettings, type SettingKey } from '../../assistant/settings/settingsSchema.js';

const URL = 'https://llm.dept.gouv.fr/v1';

function setup(locked: SettingKey[] = []) {
  const settings = { ...defaultSettings(), 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr'], 'runtime.remote.url': URL };
  let reconnects = 0;
  const selection = { reconnect: async () => void (reconnects += 1) } as unknown as RuntimeSelection;
  const secrets = { read: async () => undefined } as unknown as SecretStore;
  const { handlers } = remoteModule({ selection, settings, secrets, locked: async () => locked });
  const call = <M extends keyof typeof handlers>(method: M, params: Parameters<(typeof handlers)[M]>[0]) =>
    (handlers[method] as (p: unknown, c: unknown) => ReturnType<(typeof handlers)[M]>)(params, { signal: new AbortController().signal, emit: () => {} });
  return { settings, call, reconnects: () => reconnects };
}

describe('remote.useLocalModel: this PC’s model for the session', () => {
  it('sets the server aside in the live settings only, says so, and brings it back on request', async () => {
    const { settings, call, reconnects } = setup();
    const local = await call('remote.useLocalModel', { enabled: true });
    expect(settings['runtime.remote.url']).toBeNull();
    expect(local).toMatchObject({ url: null, host: null, localForSession: true, setAsideHost: 'llm.dept.gouv.fr' });
    expect(reconnects()).toBe(1);
    const back = await call('remote.useLocalModel', { enabled: false });
    expect(settings['runtime.remote.url']).toBe(URL);
    expect(back).toMatchObject({ host: 'llm.dept.gouv.fr', localForSession: false, setAsideHost: null });
  });

  it('is refused when machine policy imposes the shared server', async () => {
    const { settings, call } = setup(['runtime.remote.url']);
    await expect(call('remote.useLocalModel', { enabled: true })).rejects.toMatchObject({ name: 'SettingsError', code: 'setting-locked' });
    expect(settings['runtime.remote.url']).toBe(URL);
  });
});
