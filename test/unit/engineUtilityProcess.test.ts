import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** A stand-in for Electron's UtilityProcess: messages, exit, stderr, kill. */
class FakeUtilityProcess extends EventEmitter {
  pid = 4242;
  stderr = new PassThrough();
  posted: unknown[] = [];
  killed = false;
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  kill(): boolean {
    this.killed = true;
    queueMicrotask(() => this.emit('exit', 0));
    return true;
  }
}

const fork = vi.fn();
vi.mock('electron', () => ({ utilityProcess: { fork: (...args: unknown[]) => fork(...args) } }));

const { utilityEngineSpawner } = await import('../../electron/engineUtilityProcess.js');
const { ENGINE_ENTRY, ENGINE_READY } = await import('../../assistant/host/engineProcess.js');

let child: FakeUtilityProcess;
beforeEach(() => {
  child = new FakeUtilityProcess();
  fork.mockReset().mockImplementation(() => child);
});

describe('utilityEngineSpawner', () => {
  it('forks the engine with its configuration, waits for its greeting, and carries RPC messages', async () => {
    const spawn = utilityEngineSpawner({ config: { dataDir: '/donnees' } });
    const started = spawn();
    expect(fork).toHaveBeenCalledWith(ENGINE_ENTRY, [JSON.stringify({ dataDir: '/donnees' })], expect.objectContaining({ stdio: 'pipe', execArgv: ['--import', expect.any(String)] }));
    child.emit('message', { type: ENGINE_READY, pid: 4242 });
    const engine = await started;
    expect(engine.pid).toBe(4242);
    const received: unknown[] = [];
    engine.transport.onMessage((message) => received.push(message));
    const request = { kind: 'request', id: 1, method: 'engine.ping', params: undefined };
    engine.transport.send(request as never);
    expect(child.posted).toEqual([request]);
    const result = { kind: 'result', id: 1, result: 'pong' };
    child.emit('message', result);
    child.emit('message', 'bruit');
    expect(received).toEqual([result]);
  });

  it('reports how the engine ended, with the end of its error output', async () => {
    const started = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    child.emit('message', { type: ENGINE_READY });
    const engine = await started;
    const closed = new Promise((done) => engine.transport.onClose(done));
    child.stderr.write('GGML_ASSERT(false) failed\n');
    await new Promise((done) => setImmediate(done));
    child.emit('exit', 134);
    await expect(engine.exited).resolves.toMatchObject({ code: 134, stderrTail: expect.stringContaining('GGML_ASSERT') });
    await expect(closed).resolves.toMatch(/134/);
  });

  it('fails to start when the engine dies or stays silent, and stop kills it', async () => {
    const dying = utilityEngineSpawner({ config: { dataDir: '/d' } })();
    child.emit('exit', 1);
    await expect(dying).rejects.toThrow(/arrêté au démarrage/);
    child = new FakeUtilityProcess();
    const silent = utilityEngineSpawner({ config: { dataDir: '/d' }, startTimeoutMs: 20 })();
    await expect(silent).rejects.toThrow(/n'a pas démarré/);
    expect(child.killed).toBe(true);
    child = new FakeUtilityProcess();
    const started = utilityEngineSpawner({ config: { dataDir: '/d' }, entry: '/app/engine.js' })();
    expect(fork).toHaveBeenLastCalledWith('/app/engine.js', expect.any(Array), expect.objectContaining({ execArgv: [] }));
    child.emit('message', { type: ENGINE_READY });
    await expect((await started).stop()).resolves.toMatchObject({ code: 0 });
  });
});
