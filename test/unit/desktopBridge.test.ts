import { afterEach, describe, expect, it } from 'vitest';
import { buildApi, type ContractChannel } from '../../assistant/contract/buildApi.js';
import { bridgeTransport } from '../../assistant/contract/bridgeTransport.js';
import type { CallOptions } from '../../assistant/contract/contractStream.js';
import type { GuichetContract } from '../../assistant/contract/engineContract.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import { EventQueue } from '../../assistant/contract/eventQueue.js';
import { streamingMethods } from '../../assistant/contract/method.js';
import type { RpcContract } from '../../assistant/contract/protocol.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import { relayContract, type ContractRelay } from '../../electron/ipcRelay.js';
import { createContractBridge } from '../../electron/preloadBridge.js';
import { FakeIpc } from '../support/electron/fakeIpc.js';

/** A host channel that answers `engine.ping`, and streams `engine.status` until cancelled. */
function fakeChannel(seen: { cancelled: number }) {
  const channel: ContractChannel<RpcContract> = {
    async call(method) {
      if (method === 'engine.ping') return 'pong';
      throw new Error(`pas prévu : ${method}`);
    },
    stream(method, _params, options: CallOptions = {}) {
      let finish = (): void => {};
      const ended = new Promise<null>((resolve) => (finish = () => resolve(null)));
      const events = new EventQueue<unknown>(() => finish());
      events.push({ type: 'engine.status', state: 'ready', recentCrashes: 0 });
      options.signal?.addEventListener('abort', () => {
        seen.cancelled++;
        finish();
      });
      const result = ended.then((value) => (events.end(), value));
      return { result, cancel: () => finish(), [Symbol.asyncIterator]: () => events[Symbol.asyncIterator]() };
    },
  };
  return channel as unknown as ContractChannel<GuichetContract>;
}

let relay: ContractRelay | undefined;
afterEach(() => relay?.dispose());

function desktop(frameUrl = 'app://guichet/index.html') {
  const seen = { cancelled: 0 };
  const ipc = new FakeIpc(frameUrl);
  relay = relayContract(ipc.main, fakeChannel(seen), { isTrustedFrame: (url) => url.startsWith('app://guichet/') });
  const bridge = createContractBridge(GUICHET_METHODS, ipc.renderer);
  const client = new RpcClient<GuichetContract>(bridgeTransport(bridge, streamingMethods(GUICHET_METHODS)), { errors: ENGINE_ERRORS });
  return { seen, bridge, api: buildApi(GUICHET_METHODS, client) };
}

describe('desktop bridge: preload ↔ main relay', () => {
  it('carries a plain call and a stream; a stream cancelled from the page stops on the main side', async () => {
    const { api, seen } = desktop();
    await expect(api.engine.ping()).resolves.toBe('pong');
    const status = api.engine.status();
    for await (const event of status) {
      expect(event).toMatchObject({ state: 'ready' });
      break; // leaving the loop cancels the stream
    }
    await expect(status.result).resolves.toBeNull();
    expect(seen.cancelled).toBe(1);
  });

  it('validates parameters on the main side: the page gets the contract error, rebuilt as its class', async () => {
    const { api } = desktop();
    await expect((api.engine.ping as (p: unknown) => Promise<unknown>)({ pas: 'prévu' })).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-params' });
  });

  it('the preload refuses a name outside the table, or a stream invoked as a call, before the main process', async () => {
    const { bridge } = desktop();
    await expect(bridge.invoke(1, 'process.exit', null)).resolves.toMatchObject({ kind: 'error', error: { code: 'unknown-method' } });
    await expect(bridge.invoke(2, 'engine.status', null)).resolves.toMatchObject({ kind: 'error', error: { code: 'unknown-method' } });
    const got = await new Promise((done) => bridge.subscribe(3, 'engine.ping', null, done));
    expect(got).toMatchObject({ kind: 'error', error: { code: 'unknown-method' } });
  });

  it('the main process refuses a frame that is not the app’s', async () => {
    const { api } = desktop('https://exemple.fr/');
    await expect(api.engine.ping()).rejects.toMatchObject({ code: 'transport-closed', message: expect.stringContaining('refusée') });
    await expect(api.engine.status().result).rejects.toMatchObject({ code: 'unknown-method' });
  });
});
