/** A client whose every call fails with a French message: what the renderer shows when no shell gave it one. */
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
  return {
    ask: () => failedStream(),
    search: fail,
    fiche: { get: fail },
    corpus: { info: fail, import: () => failedStream() },
    conversations: { list: fail, get: fail, delete: fail, export: fail },
    feedback: { record: fail, stats: fail },
    reply: { draft: () => failedStream() },
    replies: { list: fail, add: fail, update: fail, delete: fail, export: fail, import: fail },
    models: { list: fail, status: fail },
    hardware: { info: fail },
    settings: { get: fail, set: fail },
    health: fail,
    engine: { status: () => failedStream(), restart: fail },
  };
}
