/** A client whose every call fails with a French message: what the renderer shows when no shell gave it one. */
import { buildApi, type ContractChannel } from '../../../../assistant/contract/buildApi.js';
import type { GuichetContract } from '../../../../assistant/contract/engineContract.js';
import { GUICHET_METHODS } from '../../../../assistant/contract/engineMethods.js';
import type { ContractError, ContractStream, GuichetClient } from './client.js';

const ERROR: ContractError = {
  name: 'TransportError',
  code: 'transport-unavailable',
  message: 'Le moteur de Guichet ne répond pas : fermez puis relancez Guichet.',
};

const fail = <R>(): Promise<R> => Promise.reject<R>(ERROR);

function failedStream<E, R>(): ContractStream<E, R> {
  const result = fail<R>();
  result.catch(() => undefined);
  return { result, cancel: () => undefined, [Symbol.asyncIterator]: () => ({ next: () => fail<IteratorResult<E>>() }) };
}

export function unavailableClient(): GuichetClient {
  const channel = { call: () => fail(), stream: () => failedStream() } as unknown as ContractChannel<GuichetContract>;
  return buildApi(GUICHET_METHODS, channel);
}
