import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError } from '../../assistant/download/downloadError.js';
import { downloadFile } from '../../assistant/download/downloadFile.js';
import { sharedFile } from '../support/sharedData.js';

const MODEL_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
const MODEL_SIZE = 1_185_376;

/** How the test server misbehaves. */
type ServerMode = 'ranges' | 'no-range' | 'cut-first' | 'stall';

interface TestServer {
  url: string;
  /** The `Range` header of each request, `null` when absent. */
  ranges: (string | null)[];
  close(): Promise<void>;
}

let model: Buffer;
let dir: string;
let server: TestServer | undefined;

beforeAll(async () => {
  model = await readFile(sharedFile('models/stories260K.gguf'));
  expect(model.length).toBe(MODEL_SIZE);
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-download-'));
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Serves the model at `/stories260K.gguf` on 127.0.0.1, in 64 KiB writes, with or without Range support. */
async function startServer(mode: ServerMode): Promise<TestServer> {
  const ranges: (string | null)[] = [];
  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    ranges.push(request.headers.range ?? null);
    if (request.url !== '/stories260K.gguf') {
      response.writeHead(404).end('not found');
      return;
    }
    let start = 0;
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (match !== null && mode !== 'no-range') {
      start = Number(match[1]);
      if (start >= model.length) {
        response.writeHead(416, { 'content-range': `bytes */${model.length}` }).end();
        return;
      }
      response.writeHead(206, {
        'content-length': model.length - start,
        'content-range': `bytes ${start}-${model.length - 1}/${model.length}`,
        'accept-ranges': 'bytes',
      });
    } else {
      response.writeHead(200, { 'content-length': model.length, ...(mode === 'no-range' ? {} : { 'accept-ranges': 'bytes' }) });
    }
    const firstRequest = ranges.length === 1;
    const stopAt = (mode === 'cut-first' && firstRequest) || mode === 'stall' ? Math.floor(model.length / 2) : model.length;
    let position = start;
    const writeMore = (): void => {
      if (position >= stopAt) {
        if (stopAt < model.length && mode === 'cut-first') response.socket?.destroy(); // the cut: socket closed mid-body
        if (stopAt === model.length) response.end();
        return; // 'stall': keep the socket open, send nothing more
      }
      const from = position;
      position = Math.min(position + 65_536, stopAt);
      // The next write once this one is handed to the socket: separate chunks for the client, no timer.
      response.write(model.subarray(from, position), () => setImmediate(writeMore));
    };
    writeMore();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stories260K.gguf`,
    ranges,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

/** The system error codes along an error's cause chain (undici nests them, sometimes in an AggregateError). */
function systemCodes(error: unknown): string[] {
  const codes: string[] = [];
  const queue: unknown[] = [error];
  for (let i = 0; i < queue.length && i < 20; i++) {
    const { code, cause, errors } = (queue[i] ?? {}) as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return codes;
}

async function expectDownloadError(promise: Promise<unknown>, code: DownloadError['code']): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DownloadError);
  const downloadError = error as DownloadError;
  expect(downloadError.name).toBe('DownloadError');
  expect(downloadError.code).toBe(code);
  return downloadError;
}

describe('downloadFile', () => {
  it('downloads a whole file, verifies its checksum and renames it into place', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'models', 'stories260K.gguf');
    const progress: [number, number | undefined][] = [];
    const result = await downloadFile({
      url: server.url,
      destination,
      sha256: MODEL_SHA256.toUpperCase(),
      expectedSize: MODEL_SIZE,
      onProgress: (received, total) => progress.push([received, total]),
    });
    expect(result).toEqual({ path: destination, bytes: MODEL_SIZE, sha256: MODEL_SHA256, resumed: false });
    expect((await readFile(destination)).equals(model)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(progress.at(-1)).toEqual([MODEL_SIZE, MODEL_SIZE]);
    expect(progress.length).toBeGreaterThan(5);
    expect(server.ranges).toEqual([null]);
  });

  it('resumes with a Range request when the server cuts the connection half-way', async () => {
    server = await startServer('cut-first');
    const destination = join(dir, 'stories260K.gguf');
    const result = await downloadFile({ url: server.url, destination, sha256: MODEL_SHA256 });
    expect(result.resumed).toBe(true);
    expect(result.sha256).toBe(MODEL_SHA256);
    expect((await readFile(destination)).equals(model)).toBe(true);
    expect(server.ranges).toHaveLength(2);
    expect(server.ranges[0]).toBeNull();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.ranges[1] ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(MODEL_SIZE / 2);
  });

  it('keeps the .part file when cancelled at about 50 %, and a later call resumes it', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'stories260K.gguf');
    const controller = new AbortController();
    const cancelled = downloadFile({
      url: server.url,
      destination,
      sha256: MODEL_SHA256,
      signal: controller.signal,
      onProgress: (received) => {
        if (received >= MODEL_SIZE / 2) controller.abort();
      },
    });
    const error = await expectDownloadError(cancelled, 'download-cancelled');
    expect(error.message).toContain(server.url);
    expect(existsSync(destination)).toBe(false);
    const partSize = (await stat(`${destination}.part`)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(MODEL_SIZE);

    const result = await downloadFile({ url: server.url, destination, sha256: MODEL_SHA256 });
    expect(result).toMatchObject({ resumed: true, sha256: MODEL_SHA256, bytes: MODEL_SIZE });
    expect(server.ranges.at(-1)).toBe(`bytes=${partSize}-`);
    expect((await readFile(destination)).equals(model)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('finishes from a complete .part file when the server answers 416', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'stories260K.gguf');
    await writeFile(`${destination}.part`, model);
    const result = await downloadFile({ url: server.url, destination, sha256: MODEL_SHA256 });
    expect(result).toMatchObject({ resumed: true, sha256: MODEL_SHA256, bytes: MODEL_SIZE });
    expect(server.ranges).toEqual([`bytes=${MODEL_SIZE}-`]);
  });

  it('deletes the file and writes nothing at the destination on a wrong checksum', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'stories260K.gguf');
    const error = await expectDownloadError(
      downloadFile({ url: server.url, destination, sha256: '0'.repeat(64) }),
      'checksum-mismatch',
    );
    expect(error.message).toContain(server.url);
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('refuses a file whose announced size is not the expected one, before downloading it', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'stories260K.gguf');
    await expectDownloadError(downloadFile({ url: server.url, destination, expectedSize: 1000 }), 'size-mismatch');
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('restarts from zero, cleanly, when the server ignores Range', async () => {
    server = await startServer('no-range');
    const destination = join(dir, 'stories260K.gguf');
    await writeFile(`${destination}.part`, Buffer.alloc(300_000, 7)); // not even a prefix of the file
    const result = await downloadFile({ url: server.url, destination, sha256: MODEL_SHA256 });
    expect(result).toMatchObject({ resumed: false, sha256: MODEL_SHA256, bytes: MODEL_SIZE });
    expect(server.ranges).toEqual(['bytes=300000-']);
    expect((await readFile(destination)).equals(model)).toBe(true);
  });

  it('reports download-offline, in French, when nothing listens on the port', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const destination = join(dir, 'stories260K.gguf');
    const error = await expectDownloadError(
      downloadFile({ url: `http://127.0.0.1:${port}/stories260K.gguf`, destination }),
      'download-offline',
    );
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/hors ligne|injoignable/);
    expect(systemCodes(error)).toContain('ECONNREFUSED');
    expect(existsSync(destination)).toBe(false);
  });

  it('reports download-offline when the server stops sending, and keeps the part', async () => {
    server = await startServer('stall');
    const destination = join(dir, 'stories260K.gguf');
    await expectDownloadError(downloadFile({ url: server.url, destination, timeoutMs: 300 }), 'download-offline');
    expect(existsSync(destination)).toBe(false);
    expect((await stat(`${destination}.part`)).size).toBeGreaterThan(0);
  });

  it('reports download-failed on a 404 and writes nothing', async () => {
    server = await startServer('ranges');
    const destination = join(dir, 'absent.gguf');
    const error = await expectDownloadError(
      downloadFile({ url: server.url.replace('stories260K', 'absent'), destination }),
      'download-failed',
    );
    expect(error.message).toContain('404');
    expect(error.message).toContain('absent.gguf');
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });
});
