/**
 * The web shell's defences, against `guichet serve` with the real engine: the per-launch token (then an HttpOnly
 * SameSite=Strict cookie, the token removed from the address), 401 without it, 403 from another Origin or Host
 * (CSRF, DNS rebinding), the strict CSP, and routes derived from the method table.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2eWorkspace, type ServedGuichet, startGuichet, TEST_POLICY } from './support/guichetServe.js';

let workspace: E2eWorkspace;
let guichet: ServedGuichet;
let cookie: string;

/** A raw HTTP request to the shell (Node's fetch would not let a test set Host). */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: guichet.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  workspace = await E2eWorkspace.create();
  guichet = await startGuichet({ dataDir: await workspace.dataDirWithIndex('security'), policyPath: await workspace.policy('security', TEST_POLICY), model: false });
  const launch = await send(new URL(guichet.url).pathname + new URL(guichet.url).search);
  cookie = String(launch.headers['set-cookie']).split(';')[0]!;
});

afterAll(async () => {
  await guichet?.stop();
  await workspace?.dispose();
});

describe('the web shell’s security', () => {
  it('trades the launch token for an HttpOnly SameSite=Strict cookie and removes it from the address', async () => {
    const url = new URL(guichet.url);
    expect(url.hostname).toBe('127.0.0.1');
    const launch = await send(url.pathname + url.search);
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/');
    expect(String(launch.headers['set-cookie'])).toMatch(/^guichet-\d+=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/);
    const page = await send('/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="app">/);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
  });

  it('answers 401 without the token or its cookie, to the page and to the API', async () => {
    expect((await send('/')).status).toBe(401);
    expect((await send('/?jeton=faux')).status).toBe(401);
    expect((await send('/api/corpus.info', { method: 'POST', headers: { cookie: `${cookie.split('=')[0]}=faux` } })).status).toBe(401);
  });

  it('answers 403 to a request from another Origin or for another Host, even with the cookie', async () => {
    const evil = await send('/api/corpus.info', { method: 'POST', headers: { cookie, origin: 'http://malveillant.example' } });
    expect(evil.status).toBe(403);
    expect((await send('/api/corpus.info', { method: 'POST', headers: { cookie, origin: `http://127.0.0.1:${guichet.port + 1}` } })).status).toBe(403);
    // DNS rebinding: a foreign name resolving to 127.0.0.1.
    expect((await send('/', { headers: { cookie, host: `malveillant.example:${guichet.port}` } })).status).toBe(403);
    expect((await send('/api/corpus.info', { method: 'POST', headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // The shell's own origin, under either name, is served.
    expect((await send('/api/corpus.info', { method: 'POST', headers: { cookie, origin: `http://localhost:${guichet.port}`, host: `localhost:${guichet.port}` } })).status).toBe(200);
  });

  it('sends a strict Content-Security-Policy and no-sniff, no-referrer headers on every response', async () => {
    for (const response of [await send('/', { headers: { cookie } }), await send('/'), await send('/api/corpus.info', { method: 'POST', headers: { cookie } })]) {
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves every method of the table as POST /api/<method>, and 404 for any other', async () => {
    const info = await send('/api/corpus.info', { method: 'POST', headers: { cookie } });
    expect(JSON.parse(info.body)).toMatchObject({ kind: 'result', value: { manifest: { counts: { fiches: expect.any(Number) } } } });
    expect(Number(info.headers['x-guichet-requete'])).toBeGreaterThan(0);
    expect((await send('/api/toString', { method: 'POST', headers: { cookie } })).status).toBe(404);
    const invalid = await send('/api/search', { method: 'POST', headers: { cookie }, body: JSON.stringify({ query: 42 }) });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toMatchObject({ kind: 'error', error: { name: 'RpcError', code: 'invalid-params' } });
    expect((await send('/api/corpus.info', { headers: { cookie } })).status).toBe(405);
  });

  it('streams NDJSON, one contract message per line, and cancels by request id', async () => {
    const stream = await send('/api/ask', { method: 'POST', headers: { cookie }, body: JSON.stringify({ question: 'Comment dissoudre une association ?', useModel: false }) });
    expect(stream.headers['content-type']).toMatch(/application\/x-ndjson/);
    const messages = stream.body.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; event?: { type: string }; value?: { sources: unknown[] } });
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.slice(0, -1).every((m) => m.kind === 'event')).toBe(true);
    expect(messages.at(-1)!.kind).toBe('result');
    expect(messages.at(-1)!.value!.sources.length).toBeGreaterThan(0);
    expect((await send('/api/cancel', { method: 'POST', headers: { cookie }, body: JSON.stringify({ id: 999_999 }) })).status).toBe(404);
  });
});
