import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApi, type ContractChannel } from '../../assistant/contract/buildApi.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import { call, type ContractOf, stream } from '../../assistant/contract/method.js';
import type { RpcContract } from '../../assistant/contract/protocol.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import { RpcError } from '../../assistant/contract/rpcError.js';
import { type Handlers, RpcServer } from '../../assistant/contract/rpcServer.js';
import { createMemoryTransportPair } from '../../assistant/contract/transport.js';
import { ModelError } from '../../native-models/modelError.js';

type CountEvent = { type: 'n'; n: number } | { type: 'done'; reason: 'completed' | 'stopped'; counted: number };
const TABLE = {
  'math.add': call(z.object({ a: z.number(), b: z.number().int().min(1).max(10) })).returns<number>(),
  count: stream(z.object({ to: z.number().int() })).returns<{ counted: number; stopped: boolean }, CountEvent>(),
  fail: call(z.object({ kind: z.enum(['model', 'bug', 'enoent']) })).returns<never>(),
};

/** A handler that counts until told to stop, one step per event the client acknowledges by reading. */
function setup() {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const aborted: boolean[] = [];
  let step: (() => void) | undefined;
  const handlers: Handlers<typeof TABLE> = {
    'math.add': async ({ a, b }) => a + b,
    count: async ({ to }, { signal, emit }) => {
      let n = 0;
      while (n < to && !signal.aborted) {
        emit({ type: 'n', n: ++n });
        await new Promise<void>((resolve) => {
          step = resolve;
          signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      aborted.push(signal.aborted);
      emit({ type: 'done', reason: signal.aborted ? 'stopped' : 'completed', counted: n });
      return { counted: n, stopped: signal.aborted };
    },
    fail: async ({ kind }) => {
      if (kind === 'model') throw new ModelError('model-too-large', 'Trop gros.', { file: '/m/x.gguf', cause: new Error('16 Go') });
      if (kind === 'enoent') throw Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { name: 'SystemError', code: 'ENOENT' });
      throw new TypeError('undefined is not a function');
    },
  };
  const internal: unknown[] = [];
  new RpcServer(serverSide, TABLE, handlers, { errors: ENGINE_ERRORS, onInternalError: (_m, e) => internal.push(e) });
  const client = new RpcClient<ContractOf<typeof TABLE>>(clientSide, { errors: ENGINE_ERRORS });
  const api = buildApi(TABLE, client);
  return { api, client, clientSide, internal, aborted, next: () => step?.() };
}

describe('the contract as data, over an in-memory transport', () => {
  it('builds a typed object from the table: groups become objects, streams iterate', async () => {
    const { api, next } = setup();
    await expect(api.math.add({ a: 2, b: 3 })).resolves.toBe(5);
    const seen: number[] = [];
    const counting = api.count({ to: 3 });
    for await (const event of counting) {
      if (event.type === 'n') seen.push(event.n);
      next();
    }
    expect(seen).toEqual([1, 2, 3]);
    await expect(counting.result).resolves.toEqual({ counted: 3, stopped: false });
  });

  it('validates parameters with the table’s schema and says what is wrong in French', async () => {
    const { api } = setup();
    const refused = api.math.add({ a: 1, b: 11 });
    await expect(refused).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-params' });
    await expect(refused).rejects.toThrow('b doit être entre 1 et 10');
    await expect(api.math.add({ a: 1 } as never)).rejects.toThrow('b est obligatoire');
  });

  it('a stream cancelled half-way ends the server’s way: a done « stopped » event and the partial result', async () => {
    const { api, next, aborted } = setup();
    const counting = api.count({ to: 100 });
    const events: CountEvent[] = [];
    for await (const event of counting) {
      events.push(event);
      if (event.type === 'n' && event.n === 2) counting.cancel();
      else next();
    }
    expect(events.at(-1)).toEqual({ type: 'done', reason: 'stopped', counted: 2 });
    await expect(counting.result).resolves.toEqual({ counted: 2, stopped: true });
    expect(aborted).toEqual([true]);
  });

  it('leaving a for await early cancels the request', async () => {
    const { api, aborted } = setup();
    const counting = api.count({ to: 100 });
    for await (const event of counting) if (event.type === 'n') break;
    await expect(counting.result).resolves.toEqual({ counted: 1, stopped: true });
    expect(aborted).toEqual([true]);
  });

  it('an aborted plain call rejects at once with an AbortError', async () => {
    const { api } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(api.math.add({ a: 1, b: 2 }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('only registered errors cross as themselves; others become a French internal error with their cause', async () => {
    const { api, internal } = setup();
    const model = await api.fail({ kind: 'model' }).catch((e: unknown) => e);
    expect(model).toBeInstanceOf(ModelError);
    expect(model).toMatchObject({ code: 'model-too-large', message: 'Trop gros.', file: '/m/x.gguf' });
    expect(String((model as ModelError).cause)).toContain('16 Go');
    for (const kind of ['bug', 'enoent'] as const) {
      const error = await api.fail({ kind }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcError);
      expect(error).toMatchObject({ code: 'internal', message: 'Erreur interne du moteur.' });
      expect(String((error as RpcError).cause)).not.toContain('[object Object]');
    }
    expect(internal).toHaveLength(2);
  });

  it('a closed transport rejects pending calls and streams', async () => {
    const { api, clientSide } = setup();
    const counting = api.count({ to: 100 });
    clientSide.close();
    await expect(counting.result).rejects.toMatchObject({ name: 'RpcError', code: 'transport-closed' });
  });
});

describe('Guichet’s method table', () => {
  it('every method is callable through the built object, as a call or a stream as the table says', async () => {
    const seen: { method: string; kind: 'call' | 'stream' }[] = [];
    const channel: ContractChannel<RpcContract> = {
      call: (method) => {
        seen.push({ method, kind: 'call' });
        return Promise.resolve(null);
      },
      stream: (method) => {
        seen.push({ method, kind: 'stream' });
        return { result: Promise.resolve(null), cancel() {}, [Symbol.asyncIterator]: async function* () {} };
      },
    };
    const api = buildApi(GUICHET_METHODS, channel as never) as unknown as Record<string, unknown>;
    for (const name of Object.keys(GUICHET_METHODS)) {
      const [group, verb] = name.includes('.') ? name.split('.') : [name, undefined];
      const target = verb ? (api[group!] as Record<string, (p?: unknown) => unknown>)[verb] : (api[group!] as (p?: unknown) => unknown);
      target?.({});
    }
    const expected = Object.entries(GUICHET_METHODS).map(([method, spec]) => ({ method, kind: spec.stream ? 'stream' : 'call' }));
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(35);
  });
});
