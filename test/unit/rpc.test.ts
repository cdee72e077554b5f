import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { reviveEngineError } from '../../assistant/engine/engineErrors.js';
import type { RpcMethod } from '../../assistant/rpc/protocol.js';
import { RpcClient } from '../../assistant/rpc/rpcClient.js';
import { RpcError } from '../../assistant/rpc/rpcError.js';
import { type RpcHandlers, RpcServer } from '../../assistant/rpc/rpcServer.js';
import { createMemoryTransportPair } from '../../assistant/rpc/transport.js';
import { ModelError } from '../../native-models/modelError.js';

type TestContract = {
  add: RpcMethod<{ a: number; b: number }, number>;
  count: RpcMethod<{ to: number }, { counted: number; aborted: boolean }, { n: number }>;
  fail: RpcMethod<{ kind: 'model' | 'bug' }, never>;
};

function setup(onSignal?: (signal: AbortSignal) => void) {
  const [clientSide, serverSide] = createMemoryTransportPair();
  const handlers: RpcHandlers<TestContract> = {
    add: { parse: (raw) => z.object({ a: z.number(), b: z.number() }).parse(raw), run: async ({ a, b }) => a + b },
    count: {
      parse: (raw) => z.object({ to: z.number().int() }).parse(raw),
      run: async ({ to }, { signal, emit }) => {
        onSignal?.(signal);
        let n = 0;
        while (n < to && !signal.aborted) {
          emit({ n: ++n });
          await new Promise((resolve) => setImmediate(resolve)); // one event per turn of the event loop
        }
        return { counted: n, aborted: signal.aborted };
      },
    },
    fail: {
      parse: (raw) => z.object({ kind: z.enum(['model', 'bug']) }).parse(raw),
      run: async ({ kind }) => {
        if (kind === 'model') throw new ModelError('model-too-large', 'Trop gros.', { file: '/m/x.gguf', cause: new Error('16 Go') });
        throw new TypeError('undefined is not a function');
      },
    },
  };
  const internal: unknown[] = [];
  const server = new RpcServer(serverSide, handlers, { onInternalError: (_m, e) => internal.push(e) });
  const listenerErrors: unknown[] = [];
  const client = new RpcClient<TestContract>(clientSide, { revive: reviveEngineError, onListenerError: (e) => listenerErrors.push(e) });
  return { client, server, clientSide, serverSide, internal, listenerErrors };
}

describe('RPC over an in-memory transport', () => {
  it('answers typed calls', async () => {
    const { client } = setup();
    await expect(client.call('add', { a: 2, b: 3 })).resolves.toBe(5);
  });

  it('streams events in order, then the result', async () => {
    const { client } = setup();
    const stream = client.stream('count', { to: 5 });
    const seen: number[] = [];
    for await (const event of stream) seen.push(event.n);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    await expect(stream.result).resolves.toEqual({ counted: 5, aborted: false });
  });

  it('rebuilds expected errors as their class, with code, file and cause', async () => {
    const { client } = setup();
    const error = await client.call('fail', { kind: 'model' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ name: 'ModelError', code: 'model-too-large', message: 'Trop gros.', file: '/m/x.gguf', cause: '16 Go' });
  });

  it('reports a bug as RpcError internal with its stack, and tells the server log', async () => {
    const { client, internal } = setup();
    const error = await client.call('fail', { kind: 'bug' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcError);
    expect(error).toMatchObject({ code: 'internal', message: 'Erreur interne du moteur.' });
    expect(String((error as RpcError).cause)).toContain('TypeError');
    expect(internal).toHaveLength(1);
  });

  it('refuses unknown methods and invalid parameters', async () => {
    const { client } = setup();
    const unknownClient = client as unknown as RpcClient<{ nope: RpcMethod<undefined, void> }>;
    await expect(unknownClient.call('nope', undefined)).rejects.toMatchObject({ name: 'RpcError', code: 'unknown-method' });
    await expect(client.call('add', { a: 'deux', b: 3 } as unknown as { a: number; b: number })).rejects.toMatchObject({ code: 'invalid-params' });
  });

  it('cancel: the stream ends at once on the client and the server handler sees its signal aborted', async () => {
    let serverSignal: AbortSignal | undefined;
    const { client, server } = setup((signal) => (serverSignal = signal));
    const controller = new AbortController();
    const stream = client.stream('count', { to: 10_000 }, { signal: controller.signal });
    const seen: number[] = [];
    for await (const event of stream) {
      seen.push(event.n);
      if (event.n === 3) controller.abort();
    }
    // At once: not one event after the abort, though the server goes on counting until the cancel reaches it.
    expect(seen).toEqual([1, 2, 3]);
    await expect(stream.result).rejects.toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect(serverSignal?.aborted).toBe(true);
  });

  it('a throwing event listener is reported and the call still completes', async () => {
    const { client, listenerErrors } = setup();
    const result = await client.call('count', { to: 3 }, {
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(result).toEqual({ counted: 3, aborted: false });
    expect(listenerErrors).toHaveLength(3);
  });

  it('a closed transport rejects pending calls with transport-closed and aborts the server work', async () => {
    let serverSignal: AbortSignal | undefined;
    const { client, serverSide } = setup((signal) => (serverSignal = signal));
    let started!: () => void;
    const working = new Promise<void>((resolve) => (started = resolve));
    const pending = client.call('count', { to: 10_000 }, { onEvent: () => started() });
    await working; // the server is counting
    serverSide.close();
    await expect(pending).rejects.toMatchObject({ name: 'RpcError', code: 'transport-closed' });
    expect(serverSignal?.aborted).toBe(true);
    await expect(client.call('add', { a: 1, b: 1 })).rejects.toMatchObject({ code: 'transport-closed' });
  });

  it('an already aborted signal never sends the request', async () => {
    const { client, server } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(client.call('add', { a: 1, b: 2 }, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.inFlight).toBe(0);
  });
});
