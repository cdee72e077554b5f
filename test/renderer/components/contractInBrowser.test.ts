import { describe, expect, it } from 'vitest';
import { buildApi } from '../../../assistant/contract/buildApi.js';
import { ENGINE_ERRORS } from '../../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../../assistant/contract/engineMethods.js';
import type { ContractOf } from '../../../assistant/contract/method.js';
import { RpcClient } from '../../../assistant/contract/rpcClient.js';
import { type Handlers, RpcServer } from '../../../assistant/contract/rpcServer.js';
import { createMemoryTransportPair } from '../../../assistant/contract/transport.js';

/** The contract layer in the renderer's environment (jsdom, browser conditions): the same client the screen uses. */
describe('the contract layer in a browser-like environment', () => {
  it('runs where there is a window', () => {
    expect(typeof window).toBe('object');
  });

  it('carries calls, streams with a stop that keeps the partial result, and errors as their class', async () => {
    const [near, far] = createMemoryTransportPair();
    const handlers: Partial<Handlers<typeof GUICHET_METHODS>> = {
      'corpus.info': async () => null,
      'fiche.get': async ({ id }) => {
        const { CorpusError } = await import('../../../corpus/corpusError.js');
        throw new CorpusError('fiche-not-found', `La fiche ${id} n'est pas dans la base de connaissances.`);
      },
      'reply.draft': async (_params, { signal, emit }) => {
        emit({ type: 'token', text: 'Bonjour' });
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        emit({ type: 'done', reason: 'stopped', text: 'Bonjour' });
        return { reply: 'Bonjour', mode: 'model', stopReason: 'aborted' } as never;
      },
    };
    new RpcServer(far, GUICHET_METHODS, handlers, { errors: ENGINE_ERRORS });
    const api = buildApi(GUICHET_METHODS, new RpcClient<ContractOf<typeof GUICHET_METHODS>>(near, { errors: ENGINE_ERRORS }));
    await expect(api.corpus.info()).resolves.toBeNull();
    await expect(api.fiche.get({ id: 'F0' })).rejects.toMatchObject({ name: 'CorpusError', code: 'fiche-not-found' });
    const drafting = api.reply.draft({ testimony: 'Merci' });
    const seen: string[] = [];
    for await (const event of drafting) {
      seen.push(event.type);
      if (event.type === 'token') drafting.cancel();
    }
    expect(seen).toEqual(['token', 'done']);
    await expect(drafting.result).resolves.toMatchObject({ reply: 'Bonjour', stopReason: 'aborted' });
  });
});
