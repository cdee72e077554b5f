/**
 * The desktop transport carries the real engine: the main process's relay and the preload's bridge connected by the
 * IPC of test/support/electron/fakeIpc.ts (each stream over a real Node MessageChannel), the page's client built as
 * renderer/src/main.ts builds it, and behind the relay the real engine process, its index and llama.cpp.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../assistant/contract/buildApi.js';
import { bridgeTransport } from '../../assistant/contract/bridgeTransport.js';
import type { GuichetContract } from '../../assistant/contract/engineContract.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import { streamingMethods } from '../../assistant/contract/method.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { guichetChannel } from '../../assistant/host/guichetChannel.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { relayContract, type ContractRelay } from '../../electron/ipcRelay.js';
import { createContractBridge } from '../../electron/preloadBridge.js';
import { FakeIpc } from '../support/electron/fakeIpc.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

const STORIES = sharedFile('models/stories260K.gguf');
const QUESTION = "Première carte d'identité pour un enfant de 12 ans";
let dataDir: string;
let host: EngineHost;
let relay: ContractRelay;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-desktop-ipc-'));
  await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
  host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1 } } }) });
});
afterAll(async () => {
  relay?.dispose();
  await host?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('desktop IPC with the real engine', () => {
  it('streams an ask end to end: tokens as they come, sources, the saved conversation; a stop keeps the draft', async () => {
    const ipc = new FakeIpc();
    relay = relayContract(ipc.main, guichetChannel(host), { isTrustedFrame: (url) => url.startsWith('app://guichet/') });
    const bridge = createContractBridge(GUICHET_METHODS, ipc.renderer);
    const api = buildApi(GUICHET_METHODS, new RpcClient<GuichetContract>(bridgeTransport(bridge, streamingMethods(GUICHET_METHODS)), { errors: ENGINE_ERRORS }));

    const asking = api.ask({ question: QUESTION, modelPath: STORIES, maxTokens: 40 });
    const kinds: string[] = [];
    let written = '';
    const consulted: string[] = [];
    for await (const event of asking) {
      kinds.push(event.type);
      if (event.type === 'token') written += event.text;
      if (event.type === 'sources') consulted.push(...event.consulted.map((source) => source.ficheId));
    }
    const answer = await asking.result;
    expect(kinds.filter((kind) => kind === 'token').length).toBeGreaterThan(1);
    expect(kinds.indexOf('sources')).toBeLessThan(kinds.indexOf('token'));
    expect(kinds.at(-1)).toBe('done');
    expect(answer.mode).not.toBe('search-only');
    expect(answer.answer).toBe(written.trim()); // the saved draft is trimmed; the stream ends wherever maxTokens cut it
    expect(consulted).toContain('F1342');
    expect((await api.conversations.list()).total).toBe(1);

    // A stop from the page crosses the port: the stream ends with what it had written.
    const stopping = api.ask({ question: QUESTION, modelPath: STORIES, maxTokens: 2000 });
    let partial = '';
    for await (const event of stopping) {
      if (event.type !== 'token') continue;
      partial += event.text;
      if (partial.length > 10) stopping.cancel();
    }
    const stopped = await stopping.result;
    expect(stopped.answer.startsWith(partial.slice(0, 10))).toBe(true);
    expect(stopped.answer.length).toBeLessThan(2000);
    // Errors cross as their class, with their French message.
    await expect(api.models.load({ path: join(dataDir, 'absent.gguf') }).result).rejects.toMatchObject({ name: 'ModelError' });
  });
});
