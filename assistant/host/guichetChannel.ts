import type { AskAnswer, AskEvent, AskRequest } from '../ask/askTypes.js';
import type { ContractChannel } from '../contract/buildApi.js';
import type { CallOptions, ContractStream } from '../contract/contractStream.js';
import type { EngineContract, GuichetContract } from '../contract/engineContract.js';
import { EventQueue } from '../contract/eventQueue.js';
import type { EngineStatusEvent } from '../contract/methods/hostMethods.js';
import type { RpcContract } from '../contract/protocol.js';
import { RpcError } from '../contract/rpcError.js';
import type { EngineHost, EngineStatus } from './engineHost.js';

/**
 * The whole contract over an engine host, for every shell: the engine's methods, the host's own (`engine.status`,
 * `engine.restart`), and an `ask` that survives the engine's death — the question is answered again from search
 * alone, with the draft received so far and a warning, so the agent never loses the sources.
 */
export function guichetChannel(host: EngineHost<EngineContract>): ContractChannel<GuichetContract> {
  const engine = host as unknown as ContractChannel<RpcContract>;
  const channel: ContractChannel<RpcContract> = {
    call(method, params, options) {
      if (method === 'engine.restart') return host.restart().then(() => null);
      if (method === 'engine.status') return Promise.reject(new RpcError('unknown-method', 'engine.status se lit comme un flux.'));
      return engine.call(method, params, options);
    },
    stream(method, params, options) {
      if (method === 'engine.status') return statusStream(host, options ?? {}) as ContractStream<unknown, unknown>;
      if (method === 'ask') return recoveringAsk(host, params as AskRequest, (options ?? {}) as CallOptions<AskEvent>) as ContractStream<unknown, unknown>;
      return engine.stream(method, params, options);
    },
  };
  return channel as unknown as ContractChannel<GuichetContract>;
}

/** The engine's state now, then each change, until cancelled. */
function statusStream(host: EngineHost<EngineContract>, options: CallOptions<EngineStatusEvent>): ContractStream<EngineStatusEvent, null> {
  let finish = (): void => {};
  const ended = new Promise<null>((resolve) => (finish = () => resolve(null)));
  const events = new EventQueue<EngineStatusEvent>(() => finish());
  const push = (status: EngineStatus): void => {
    const event = statusEvent(status);
    options.onEvent?.(event);
    events.push(event);
  };
  push(host.status());
  const unsubscribe = host.onStatus(push);
  options.signal?.addEventListener('abort', () => finish(), { once: true });
  const result = ended.then((value) => {
    unsubscribe();
    events.end();
    return value;
  });
  return { result, cancel: () => finish(), [Symbol.asyncIterator]: () => events[Symbol.asyncIterator]() };
}

/** The host's view of the engine, in the contract's words. */
export function statusEvent(status: EngineStatus): EngineStatusEvent {
  const state =
    status.state === 'ready'
      ? 'ready'
      : status.state === 'starting'
        ? status.recentCrashes > 0
          ? 'restarting'
          : 'starting'
        : status.state === 'crashed'
          ? 'restarting'
          : status.state === 'unavailable'
            ? 'failed'
            : 'stopped';
  return {
    type: 'engine.status',
    state,
    recentCrashes: status.recentCrashes,
    ...(status.message ? { message: status.message } : {}),
    ...(status.pid !== undefined ? { pid: status.pid } : {}),
  };
}

/** An `ask` whose engine dies mid-way is asked again from search alone, keeping what was written. */
function recoveringAsk(host: EngineHost<EngineContract>, request: AskRequest, options: CallOptions<AskEvent>): ContractStream<AskEvent, AskAnswer> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const events = new EventQueue<AskEvent>(() => stop.abort());
  const push = (event: AskEvent): void => {
    options.onEvent?.(event);
    events.push(event);
  };
  let written = '';
  const result = (async (): Promise<AskAnswer> => {
    const first = host.stream('ask', request, { signal });
    try {
      for await (const event of first) {
        if (event.type === 'token') written += event.text;
        push(event);
      }
      return await first.result;
    } catch (error) {
      if (!isEngineDeath(error) || signal.aborted) throw error;
      const message = `Le moteur s'est arrêté pendant la rédaction : ${written ? 'le brouillon est incomplet' : 'aucun brouillon'} ; voici les fiches trouvées. (${(error as Error).message})`;
      const again = host.stream('ask', { ...request, interruptedDraft: { text: written, message } }, { signal });
      for await (const event of again) if (event.type !== 'token') push(event);
      return again.result;
    }
  })();
  return events.streamOf(result, () => stop.abort());
}

function isEngineDeath(error: unknown): boolean {
  const code = (error as { name?: string; code?: string } | null)?.code;
  return (error as Error | null)?.name === 'ModelError' && (code === 'model-crashed' || code === 'gpu-crashed' || code === 'engine-unavailable');
}
