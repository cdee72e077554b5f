/**
 * « No network during tests » holds in every process of the run, not only in the vitest worker: the forked engine,
 * a `guichet` CLI child and any plain Node child get the guard through NODE_OPTIONS (test/support/noNetwork*.{ts,mjs}).
 * The target is a TCP server of this test on a non-loopback address of this machine when it has one: without the
 * guard the connection would reach it, so « no connection arrived » is the proof, beside the guard's own error.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { NETWORK_FORBIDDEN, NETWORK_FORBIDDEN_CODE } from '../support/noNetworkPreload.mjs';

const GUICHET = join(import.meta.dirname, '../../scripts/bin/guichet.js');
const run = promisify(execFile);

/** An IPv4 address of this machine that is not loopback, else one of TEST-NET-1 (RFC 5737), never routed. */
const ADDRESS =
  Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address ?? '192.0.2.1';

let server: net.Server;
let port: number;
let connections = 0;
let dataDir: string;

beforeAll(async () => {
  server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((ready) => server.listen(0, '0.0.0.0', ready));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});
beforeEach(async () => {
  connections = 0;
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-no-network-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dataDir, { recursive: true, force: true });
});

const feedUrl = () => `http://${ADDRESS}:${port}/vdd/3.3/asso/zip/vosdroits-latest.zip`;
const refusal = (pid?: number) => `${NETWORK_FORBIDDEN} : ${ADDRESS}:${port} (processus ${pid ?? ''}`;

describe('the network guard, in every process of the test run', () => {
  it('in the engine process: a corpus import from a non-loopback URL is refused by the guard, nothing connects', async () => {
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      stderr.push(String(chunk));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    });
    const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir }, forwardStderr: true }) });
    try {
      await host.start();
      const enginePid = host.status().pid!;
      expect(enginePid).not.toBe(process.pid);
      const error = await host.call('corpus.import', { from: feedUrl() }).catch((e: unknown) => e);
      expect(error).toMatchObject({ message: expect.stringContaining(feedUrl()) });
      // The refusal happened in the engine process (its pid), before any packet: the server saw nothing.
      await vi.waitFor(() => expect(stderr.join('')).toContain(refusal(enginePid)));
      expect(connections).toBe(0);
      // The engine is unharmed.
      expect(await host.call('engine.ping', undefined)).toBe('pong');
    } finally {
      await host.dispose();
    }
  });

  it('in a `guichet` CLI child: the same import fails, and its error output shows the guard', async () => {
    // The import runs in the CLI's engine process; `--verbose` passes that process's error output through.
    const failure = await run(process.execPath, [GUICHET, '--verbose', '--data-dir', dataDir, 'corpus', 'import', '--from', feedUrl()]).then(
      () => undefined,
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(refusal());
    expect(connections).toBe(0);
  });

  it('in a plain Node child started with the default environment', async () => {
    const script = `require('node:net').connect(${port}, '${ADDRESS}').on('error', (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })); });`;
    const { stdout } = await run(process.execPath, ['-e', script]);
    expect(JSON.parse(stdout)).toEqual({ code: NETWORK_FORBIDDEN_CODE, message: expect.stringContaining(refusal()) });
    expect(connections).toBe(0);
  });

  it('in this worker, for fetch too; loopback stays open', async () => {
    const failed = await fetch(`http://${ADDRESS}:${port}/`).catch((e: unknown) => e as Error);
    expect((failed as Error & { cause?: { code?: string } }).cause?.code).toBe(NETWORK_FORBIDDEN_CODE);
    const local = net.connect(port, '127.0.0.1');
    await new Promise<void>((connected, failedToConnect) => local.once('connect', connected).once('error', failedToConnect));
    local.destroy();
    await vi.waitFor(() => expect(connections).toBe(1));
  });
});
