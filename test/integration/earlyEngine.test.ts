/**
 * The engine forked before its configuration is known (the CLI forks it first thing): it loads its modules, waits,
 * then serves with the configuration it is sent; one nobody used ends when discarded; a crash starts a normal one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEarlyEngine } from '../../assistant/host/engineProcess.js';

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-early-engine-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('early engine', () => {
  it('serves with the configuration sent after the fork, and a restart forks a configured one', async () => {
    const early = forkEarlyEngine();
    const dataDir = join(work, 'served');
    const host = new EngineHost({ spawn: early.spawner({ config: { dataDir } }) });
    try {
      await host.start();
      const first = host.status().pid;
      // The configuration arrived: the engine answers about this data dir (no index yet).
      expect(await host.call('corpus.info', undefined)).toBeNull();
      await host.restart();
      expect(host.status().pid).not.toBe(first);
      expect(await host.call('corpus.info', undefined)).toBeNull();
    } finally {
      await host.dispose();
      early.discard();
    }
  }, 120_000);

  it('ends when discarded unused; its spawner then forks a configured engine', async () => {
    const early = forkEarlyEngine();
    const spawn = early.spawner({ config: { dataDir: join(work, 'after') } });
    const pid = early.pid;
    expect(pid).toBeGreaterThan(0);
    early.discard();
    const alive = () => {
      try {
        process.kill(pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    const since = Date.now();
    while (alive() && Date.now() - since < 30_000) await new Promise((done) => setTimeout(done, 50)); // clock: anti-hang bound only
    expect(alive()).toBe(false);
    const host = new EngineHost({ spawn });
    try {
      await host.start();
      expect(host.status().pid).not.toBe(pid);
      expect(await host.call('corpus.info', undefined)).toBeNull();
    } finally {
      await host.dispose();
    }
  }, 120_000);
});
