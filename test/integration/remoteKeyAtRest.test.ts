import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_KEY_VARIABLE } from '../../assistant/contract/engineConfig.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openAiStandIn.js';
import { sharedFile } from '../support/sharedData.js';

/**
 * The API key entered in Paramètres, at rest: the desktop app hands the engine its data key (unwrapped by the OS
 * keystore, electron/historyKey.ts) in the environment, and the key is then stored sealed; the CLI, without that key,
 * says why it cannot use it. Real engine processes, the stand-in requiring the key.
 */
const KEY = 'sk-guichet-cle-au-repos-7c41';
let standIn: OpenAiStandIn;
let dataDir: string;

beforeAll(async () => {
  standIn = await startOpenAiStandIn({ modelPath: sharedFile('models/stories260K.gguf'), apiKey: KEY });
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-key-at-rest-'));
});
afterAll(async () => {
  await standIn?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function engine(dataKey?: Buffer): EngineHost {
  const settings = { ...defaultSettings(), 'remote.allowed': true, 'remote.allowedHosts': [standIn.host], 'runtime.remote.url': standIn.url };
  const env = dataKey ? { ...process.env, [HISTORY_KEY_VARIABLE]: dataKey.toString('base64') } : process.env;
  return new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings }, env }) });
}

describe('the API key entered in Paramètres, at rest', () => {
  it('is sealed by the desktop app’s data key, used from there, and the CLI without it says why', async () => {
    const app = engine(randomBytes(32));
    try {
      await expect(app.call('remote.models', undefined)).rejects.toMatchObject({ code: 'remote-unauthorized' });
      await app.call('remote.setApiKey', { apiKey: KEY });
      expect(await readFile(join(dataDir, 'secrets', 'remote-api-key'), 'utf8')).not.toContain(KEY);
      expect((await app.call('remote.models', undefined)).models.map((model) => model.id)).toEqual([standIn.model]);
      expect(await app.call('remote.status', undefined)).toMatchObject({ hasStoredKey: true, keyProtection: 'sealed' });
    } finally {
      await app.dispose();
    }
    const cli = engine();
    try {
      expect(await cli.call('remote.status', undefined)).toMatchObject({ keyProtection: 'plain' });
      await expect(cli.call('remote.models', undefined)).rejects.toMatchObject({ code: 'remote-key-unreadable', message: expect.stringContaining("chiffrée par l'application de bureau") });
      expect(standIn.received.filter((request) => request.headers.authorization?.includes('g1:'))).toEqual([]);
    } finally {
      await cli.dispose();
    }
  });
});
