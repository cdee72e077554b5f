import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { call, type ContractOf, stream } from '../../assistant/contract/method.js';
import { type Handlers, RpcServer } from '../../assistant/contract/rpcServer.js';
import { createMemoryTransportPair } from '../../assistant/contract/transport.js';
import { EngineHost, type EngineStatus } from '../../assistant/host/engineHost.js';
import type { EngineExit, EngineProcess, EngineSpawner } from '../../assistant/host/engineProcess.js';
import { ModelError } from '../../native-models/modelError.js';

type StreamEvent = { type: 'status' | 'token'; text: string };
const path = z.object({ path: z.string() });
const FAKE_METHODS = {
  'engine.ping': call(z.undefined()).returns<'pong'>(),
  'models.load': call(path).returns<{ fileName: string | undefined }>(),
  'models.status': call(z.undefined()).returns<never>(),
  'test.stream': stream(path).returns<string, StreamEvent>(),
};
type FakeContract = ContractOf<typeof FAKE_METHODS>;

const GPU_ABORT = '[guichet] essai GPU vulkan : gpu-crash.gguf\nggml-backend.cpp:941: GGML_ASSERT';

/** An engine process in memory: a real RPC server; « models.load » of a path containing « crash » kills it. */
function fakeSpawner(options: { failStarts?: number; silentFirstEngine?: boolean } = {}) {
  let started = 0;
  const spawn: EngineSpawner = async () => {
    started += 1;
    if (started <= (options.failStarts ?? 0)) throw new Error('spawn ENOENT');
    const [hostSide, engineSide] = createMemoryTransportPair();
    let exit!: (value: EngineExit) => void;
    const exited = new Promise<EngineExit>((resolve) => (exit = resolve));
    const die = (value: EngineExit): void => {
      engineSide.close();
      setImmediate(() => exit(value)); // the exit comes after the channel closes, as for a real process
    };
    const handlers: Handlers<typeof FAKE_METHODS> = {
      'engine.ping': async () => (options.silentFirstEngine && started === 1 ? new Promise<never>(() => {}) : 'pong'),
      'models.load': async ({ path }) => {
        if (path.includes('gpu-crash') && started === 1) {
          // The first engine aborts during a GPU attempt; the next one loads on the CPU.
          die({ code: null, signal: 'SIGABRT', stderrTail: GPU_ABORT });
          return new Promise(() => {});
        }
        if (!path.includes('crash') || path.includes('gpu-crash')) return { fileName: path.split('/').pop() };
        die({ code: null, signal: 'SIGABRT', stderrTail: 'llama-model-loader.cpp:1321: GGML_ASSERT(t_meta.ne[dim] >= 1) failed' });
        return new Promise(() => {});
      },
      'test.stream': async ({ path }, { emit }) => {
        emit({ type: 'status', text: 'Chargement du modèle de langue…' });
        if (path.includes('late-crash')) emit({ type: 'token', text: 'Bonjour' });
        if ((path.includes('gpu-crash') && started === 1) || path.includes('late-crash')) {
          die({ code: null, signal: 'SIGABRT', stderrTail: GPU_ABORT });
          return new Promise(() => {});
        }
        emit({ type: 'token', text: 'Bonjour' });
        return 'fini';
      },
      'models.status': async () => {
        die({ code: 1, signal: null, stderrTail: 'segfault' });
        return new Promise(() => {});
      },
    };
    new RpcServer(engineSide, FAKE_METHODS, handlers, { errors: ENGINE_ERRORS });
    const proc: EngineProcess = {
      pid: 1000 + started,
      transport: hostSide,
      exited,
      async stop() {
        die({ code: 0, signal: null, stderrTail: '' });
        return exited;
      },
    };
    return proc;
  };
  return { spawn, starts: () => started };
}

describe('EngineHost supervision (in-memory engine)', () => {
  it('starts on first use and reports its status', async () => {
    const { spawn, starts } = fakeSpawner();
    const host = new EngineHost<FakeContract>({ spawn });
    const states: string[] = [];
    host.onStatus((status) => states.push(status.state));
    expect(starts()).toBe(0);
    await expect(host.call('engine.ping', undefined)).resolves.toBe('pong');
    expect(states).toEqual(['starting', 'ready']);
    expect(host.status()).toMatchObject({ state: 'ready', pid: 1001 });
    await host.dispose();
  });

  it('a crash during a load names the model, the host survives and restarts the engine on next use', async () => {
    const { spawn, starts } = fakeSpawner();
    const host = new EngineHost<FakeContract>({ spawn });
    const statuses: EngineStatus[] = [];
    host.onStatus((status) => statuses.push(status));
    const error = await host.call('models.load', { path: '/modeles/crash-tetes.gguf' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      code: 'model-crashed',
      message: "Le modèle crash-tetes.gguf est illisible ou incompatible (le moteur s'est arrêté).",
      file: '/modeles/crash-tetes.gguf',
    });
    expect(String((error as ModelError).cause)).toContain('GGML_ASSERT');
    expect(statuses.at(-1)).toMatchObject({ state: 'crashed', recentCrashes: 1 });
    await expect(host.call('models.load', { path: '/modeles/bon.gguf' })).resolves.toMatchObject({ fileName: 'bon.gguf' });
    expect(starts()).toBe(2);
    await host.dispose();
  });

  it('a load whose GPU attempt aborted the engine is tried once more on a new engine (which loads on the CPU)', async () => {
    const { spawn, starts } = fakeSpawner();
    const host = new EngineHost<FakeContract>({ spawn });
    const states: string[] = [];
    host.onStatus((status) => states.push(status.state));
    await expect(host.call('models.load', { path: '/modeles/gpu-crash.gguf' })).resolves.toEqual({ fileName: 'gpu-crash.gguf' });
    expect(starts()).toBe(2);
    expect(states).toContain('crashed');
    expect(host.status()).toMatchObject({ state: 'ready', recentCrashes: 1 });
    // A crash without a GPU attempt is not retried: the malformed model is reported.
    await expect(host.call('models.load', { path: '/modeles/crash.gguf' })).rejects.toMatchObject({ code: 'model-crashed' });
    expect(starts()).toBe(2);
    await host.dispose();
  });

  it('a stream that a GPU aborted while loading its model goes on on a new engine; one that had produced output fails', async () => {
    const { spawn, starts } = fakeSpawner();
    const host = new EngineHost<FakeContract>({ spawn });
    const stream = host.stream('test.stream', { path: '/m/gpu-crash.gguf' });
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(await stream.result).toBe('fini');
    expect(events.map((event) => event.type)).toEqual(['status', 'status', 'token']);
    expect(starts()).toBe(2);
    // The same through `call` with its events (how the CLI asks).
    const other = fakeSpawner();
    const viaCall = new EngineHost<FakeContract>({ spawn: other.spawn });
    const called: string[] = [];
    await expect(viaCall.call('test.stream', { path: '/m/gpu-crash.gguf' }, { onEvent: (event) => called.push(event.type) })).resolves.toBe('fini');
    expect(called).toEqual(['status', 'status', 'token']);
    expect(other.starts()).toBe(2);
    await viaCall.dispose();

    const late = host.stream('test.stream', { path: '/m/late-crash.gguf' });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of late) seen.push(event.type);
      })(),
    ).rejects.toMatchObject({ code: 'gpu-crashed' });
    await expect(late.result).rejects.toMatchObject({ code: 'gpu-crashed' });
    expect(seen).toEqual(['status', 'token']);
    expect(starts()).toBe(2);
    await host.dispose();
  });

  it('a crash outside a load names the loaded model', async () => {
    const host = new EngineHost<FakeContract>({ spawn: fakeSpawner().spawn });
    await host.call('models.load', { path: '/m/lucie.gguf' });
    await expect(host.call('models.status', undefined)).rejects.toMatchObject({
      code: 'model-crashed',
      message: expect.stringContaining("s'est arrêté de façon inattendue (modèle lucie.gguf)"),
    });
    await host.dispose();
  });

  it('bounded restarts: after 3 crashes within the window, no automatic restart until restart()', async () => {
    const { spawn, starts } = fakeSpawner();
    const host = new EngineHost<FakeContract>({ spawn, maxCrashes: 3, restartWindowMs: 60_000 });
    for (let i = 0; i < 3; i++) await expect(host.call('models.load', { path: `/m/crash${i}.gguf` })).rejects.toMatchObject({ code: 'model-crashed' });
    await expect(host.call('engine.ping', undefined)).rejects.toMatchObject({ code: 'engine-unavailable', message: expect.stringContaining('3 fois') });
    expect(host.status().state).toBe('unavailable');
    expect(starts()).toBe(3);
    await host.restart();
    await expect(host.call('engine.ping', undefined)).resolves.toBe('pong');
    await host.dispose();
  });

  it('a failed start is an engine-unavailable error and counts as a crash', async () => {
    const host = new EngineHost<FakeContract>({ spawn: fakeSpawner({ failStarts: 1 }).spawn });
    await expect(host.call('engine.ping', undefined)).rejects.toMatchObject({ code: 'engine-unavailable' });
    await expect(host.call('engine.ping', undefined)).resolves.toBe('pong');
    await host.dispose();
  });

  it('dispose is safe twice and later calls are refused', async () => {
    const host = new EngineHost<FakeContract>({ spawn: fakeSpawner().spawn });
    await host.start();
    await Promise.all([host.dispose(), host.dispose()]);
    await host.dispose();
    expect(host.status().state).toBe('disposed');
    await expect(host.call('engine.ping', undefined)).rejects.toMatchObject({ code: 'engine-unavailable' });
  });

  it('an engine that stops answering pings is stopped, reported, and restarted at once with autoRestart', async () => {
    const { spawn, starts } = fakeSpawner({ silentFirstEngine: true });
    const host = new EngineHost<FakeContract>({ spawn, pingIntervalMs: 5, pingTimeoutMs: 20, autoRestart: true });
    const statuses: EngineStatus[] = [];
    const backUp = new Promise<void>((resolve) =>
      host.onStatus((status) => {
        statuses.push(status);
        if (status.state === 'ready' && status.recentCrashes === 1) resolve();
      }),
    );
    await host.start();
    await backUp;
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'ready', 'crashed', 'starting', 'ready']);
    expect(statuses[2]?.message).toBe('Le moteur du modèle ne répondait plus : il a été arrêté et sera relancé.');
    expect(starts()).toBe(2);
    await expect(host.call('engine.ping', undefined)).resolves.toBe('pong');
    await host.dispose();
  });
});
