import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { call, stream } from '../../assistant/contract/method.js';
import { RpcClient } from '../../assistant/contract/rpcClient.js';
import { RpcServer } from '../../assistant/contract/rpcServer.js';
import { ENGINE_ERRORS } from '../../assistant/contract/engineErrors.js';
import { parentPortLink } from '../../assistant/engine/hostLink.js';
import type { ContractOf } from '../../assistant/contract/method.js';
import { FakeUtilityProcess } from '../support/electron/fakeUtilityProcess.js';

const fork = vi.fn();
vi.mock('electron', () => ({ utilityProcess: { fork: (...args: unknown[]) => fork(...args) } }));

const { utilityEngineSpawner } = await import('../../electron/engineUtilityProcess.js');
const { ENGINE_ENTRY, ENGINE_READY } = await import('../../assistant/host/engineProcess.js');

const TABLE = {
  'engine.ping': call(z.undefined()).returns<'pong'>(),
  count: stream(z.object({ to: z.number() })).returns<number, { n: number }>(),
};
type Contract = ContractOf<typeof TABLE>;

/** The child's side: what engineMain does with `process.parentPort` (link, serve, greet, leave when asked). */
function runEngine(child: FakeUtilityProcess): { disposed: Promise<void> } {
  const link = parentPortLink(child.parentPort);
  new RpcServer(link.transport, TABLE, {
    'engine.ping': async () => 'pong',
    count: async ({ to }, { emit }) => {
      for (let n = 1; n <= to; n++) emit({ n });
      return to;
    },
  }, { errors: ENGINE_ERRORS });
  const disposed = new Promise<void>((done) => link.onHostGone(() => {
    done();
    child.exit(0);
  }));
  link.greet({ type: ENGINE_READY, pid: child.pid });
  return { disposed };
}

let child: FakeUtilityProcess;
beforeEach(() => {
  child = new FakeUtilityProcess();
  fork.mockReset().mockImplementation(() => child);
});

describe('utilityEngineSpawner and the engine behind process.parentPort', () => {
  it('forks the engine with its configuration, waits for its greeting, and carries the real protocol both ways', async () => {
    const started = utilityEngineSpawner({ config: { dataDir: '/donnees' } })();
    expect(fork).toHaveBeenCalledWith(ENGINE_ENTRY, [JSON.stringify({ dataDir: '/donnees' })], expect.objectContaining({ stdio: 'pipe', execArgv: ['--import', expect.any(String)] }));
    runEngine(child);
    const engine = await started;
    expect(engine.pid).toBe(4242);
    const client = new RpcClient<Contract>(engine.transport, { errors: ENGINE_ERRORS });
    await expect(client.call('engine.ping', undefined)).resolves.toBe('pong');
    const counting = client.stream('count', { to: 3 });
    const events: unknown[] = [];
    for await (const event of counting) events.push(event);
    expect(events).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect(counting.result).resolves.toBe(3);
    // Something that is not the protocol (a stray greeting, noise) is ignored, never taken for an answer.
    child.parentPort.postMessage('bruit');
    await expect(client.call('engine.ping', undefined)).resolves.toBe('pong');
  });

  it('stop asks the engine to leave over the port, and it exits on its own', async () => {
    const started = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    const { disposed } = runEngine(child);
    const engine = await started;
    await expect(engine.stop()).resolves.toMatchObject({ code: 0 });
    await disposed;
    expect(child.killed).toBe(false);
  });

  it('an engine that ignores the shutdown is killed after the grace period', async () => {
    const started = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    child.parentPort.postMessage({ type: ENGINE_READY });
    const engine = await started;
    await engine.stop(10);
    expect(child.killed).toBe(true);
  });

  it('reports how the engine ended, with the end of its error output, and rejects calls in flight', async () => {
    const started = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    child.parentPort.postMessage({ type: ENGINE_READY });
    const engine = await started;
    const client = new RpcClient<Contract>(engine.transport, { errors: ENGINE_ERRORS });
    const pending = client.call('engine.ping', undefined);
    const rejected = expect(pending).rejects.toMatchObject({ code: 'transport-closed' });
    child.stderr.write('GGML_ASSERT(false) failed\n');
    await new Promise((done) => setImmediate(done));
    child.exit(134);
    await expect(engine.exited).resolves.toMatchObject({ code: 134, stderrTail: expect.stringContaining('GGML_ASSERT') });
    await rejected;
  });

  it('fails to start when the engine dies or stays silent (which kills it); another entry gets no tsx', async () => {
    const dying = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    child.exit(1);
    await expect(dying).rejects.toThrow(/arrêté au démarrage/);
    child = new FakeUtilityProcess();
    const silent = utilityEngineSpawner({ config: { dataDir: '/d' }, startTimeoutMs: 20 })();
    await expect(silent).rejects.toThrow(/n'a pas démarré/);
    expect(child.killed).toBe(true);
    child = new FakeUtilityProcess();
    void utilityEngineSpawner({ config: { dataDir: '/d' }, entry: '/app/engine.js' })().catch(() => {});
    expect(fork).toHaveBeenLastCalledWith('/app/engine.js', expect.any(Array), expect.objectContaining({ execArgv: [] }));
    child.exit(1);
  });
});

describe('the engine host supervising utility processes', () => {
  it('a crash is told in French and a new utility process starts at once; stop ends the last one cleanly', async () => {
    const { EngineHost } = await import('../../assistant/host/engineHost.js');
    const children: FakeUtilityProcess[] = [];
    fork.mockImplementation(() => {
      const next = new FakeUtilityProcess();
      children.push(next);
      runEngine(next);
      return next;
    });
    const host = new EngineHost({ spawn: utilityEngineSpawner({ config: { dataDir: '/d' } }), autoRestart: true });
    const states: { state: string; message?: string }[] = [];
    host.onStatus((status) => states.push(status));
    await host.start();
    children[0]!.exit(134);
    await vi.waitFor(() => expect(children.length === 2 && host.status().state === 'ready').toBe(true));
    expect(states.find((status) => status.state === 'crashed')?.message).toMatch(/moteur du modèle s'est arrêté de façon inattendue/);
    await expect(host.call('engine.ping', undefined)).resolves.toBe('pong');
    await host.dispose();
    expect(children[1]!.exitCode).toBe(0);
  });
});

describe('hostLink in a forked process', () => {
  it('uses process.send and leaves on disconnect when there is no parentPort', async () => {
    const { hostLink } = await import('../../assistant/engine/hostLink.js');
    const { EventEmitter } = await import('node:events');
    const proc = Object.assign(new EventEmitter(), { send: vi.fn(() => true), connected: true, disconnect: vi.fn() });
    const link = hostLink(proc as never);
    const gone = vi.fn();
    link.onHostGone(gone);
    link.greet({ type: ENGINE_READY });
    expect(proc.send).toHaveBeenCalledWith({ type: ENGINE_READY });
    proc.emit('disconnect');
    expect(gone).toHaveBeenCalledOnce();
  });
});
