import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteModelError } from '../../remote-models/remoteModelError.js';
import { RemoteRuntime } from '../../remote-models/remoteRuntime.js';
import { estimateTokens } from '../../assistant/text/tokenEstimate.js';
import { startOpenAiStandIn, type OpenAiStandIn, type StandInTimings } from '../support/openAiStandIn.js';
import { sharedFile } from '../support/sharedData.js';

/** The remote runtime against the OpenAI-compatible stand-in writing real tokens of stories260K. */
const STORIES = sharedFile('models/stories260K.gguf');
const KEY = 'cle-de-test-7f3a9c';
let standIn: OpenAiStandIn;

const hardware = async () => {
  throw new Error('not needed');
};

function runtime(url = standIn.url, apiKey: string | undefined = KEY): RemoteRuntime {
  return new RemoteRuntime({ url, ...(apiKey ? { apiKey } : {}), estimateTokens, hardware });
}

async function loaded(): Promise<RemoteRuntime> {
  const remote = runtime();
  await remote.load({ path: '' });
  return remote;
}

const QUESTION = { system: 'You write short stories.', messages: [{ role: 'user' as const, text: 'Once upon a time' }], maxTokens: 40, seed: 3 };

beforeAll(async () => {
  standIn = await startOpenAiStandIn({ modelPath: STORIES, apiKey: KEY });
});

afterAll(async () => {
  await standIn?.close();
});

async function failure(promise: Promise<unknown>): Promise<RemoteModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteModelError);
  return error as RemoteModelError;
}

describe('remote runtime', () => {
  it('picks the server’s model and context, streams its tokens and says where it wrote', async () => {
    const remote = runtime();
    const model = await remote.load({ path: '' });
    expect(model.remote).toEqual({ url: standIn.url, host: standIn.host, model: 'stories260K' });
    expect(model.contextSize).toBe(2048);
    expect((await remote.load({ path: '', contextSize: 1024 })).contextSize).toBe(1024);
    const pieces: string[] = [];
    const result = await remote.generate(QUESTION, { onText: (text) => pieces.push(text) });
    expect(pieces.length).toBeGreaterThan(3);
    expect(result.text).toBe(pieces.join(''));
    expect(['stop', 'maxTokens']).toContain(result.reason);
    expect(result.writtenOn).toBe(standIn.host);
    expect(result.stats.completionTokens).toBeGreaterThan(3);
    expect(result.stats.promptTokens).toBeGreaterThan(5);
    expect(result.stats.timeToFirstTokenMs).not.toBeNull();
    expect(result.stats.tokensPerSecond).toBeGreaterThan(0);
    const body = standIn.received.at(-1)?.body as Record<string, unknown>;
    expect(body).toMatchObject({ model: 'stories260K', stream: true, max_tokens: 40, seed: 3, temperature: 0.2 });
    expect(standIn.received.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    // What the bench compares with the speed received: the stand-in's own, as llama-server's timings.
    const timings = (await (await fetch(new URL('/stand-in/timings', standIn.url), { headers: { authorization: `Bearer ${KEY}` } })).json()) as StandInTimings;
    expect(timings.predicted_n).toBe(result.stats.completionTokens);
    expect(timings.predicted_per_second).toBeGreaterThan(0);
  });

  it('sends the stop strings (four at most, as OpenAI takes) and the draft ends before the first one met', async () => {
    const remote = runtime();
    await remote.load({ path: '' });
    const whole = await remote.generate({ ...QUESTION, maxTokens: 60 }, {});
    // A word some way into the seeded story: the same request stopped on it ends just before it.
    const stop = whole.text.split(/\s+/).filter((word) => /^[a-z]{3,}$/i.test(word))[3];
    expect(stop).toBeDefined();
    const cut = await remote.generate({ ...QUESTION, maxTokens: 60, stop: [stop!, 'zzz1', 'zzz2', 'zzz3', 'zzz4'] }, {});
    expect((standIn.received.at(-1)?.body as { stop?: string[] }).stop).toEqual([stop, 'zzz1', 'zzz2', 'zzz3']);
    expect(cut.reason).toBe('stop');
    expect(cut.text).not.toContain(stop);
    expect(cut.text.trimEnd()).toBe(whole.text.slice(0, whole.text.indexOf(stop!)).trimEnd());
  });

  it('takes the served context from llama.cpp’s /props, else from /models', async () => {
    const served = await startOpenAiStandIn({ modelPath: STORIES, contextSize: 1536 });
    const withoutProps = await startOpenAiStandIn({ modelPath: STORIES, contextSize: 1536, props: false });
    try {
      const fromProps = await new RemoteRuntime({ url: served.url, estimateTokens, hardware }).load({ path: '' });
      expect(served.received.map((r) => r.path)).toContain('/props');
      expect(fromProps.contextSize).toBe(1536);
      expect(fromProps.warnings).toEqual([]);
      // /models gives the model's training context (llama.cpp's meta.n_ctx_train), not what this server serves.
      const fromModels = await new RemoteRuntime({ url: withoutProps.url, estimateTokens, hardware }).load({ path: '' });
      expect(fromModels.contextSize).not.toBe(1536);
      expect(fromModels.contextSize).toBe(fromModels.trainContextSize);
      expect(fromModels.warnings).toEqual([]);
      expect((await new RemoteRuntime({ url: served.url, estimateTokens, hardware }).load({ path: '', contextSize: 1024 })).contextSize).toBe(1024);
    } finally {
      await served.close();
      await withoutProps.close();
    }
  });

  it('measures prompts with the server’s tokenizer and template, else estimates', async () => {
    const remote = await loaded();
    const exact = await remote.promptTokens(QUESTION);
    expect(standIn.received.map((r) => r.path)).toEqual(expect.arrayContaining(['/apply-template', '/tokenize']));
    const generated = await remote.generate({ ...QUESTION, maxTokens: 4 });
    // The template's tokens as the server reads them (a token or two of BOS/trailing difference at most).
    expect(Math.abs(exact - generated.stats.promptTokens)).toBeLessThanOrEqual(2);
    const plain = await startOpenAiStandIn({ modelPath: STORIES, tokenizer: false });
    try {
      const estimating = new RemoteRuntime({ url: plain.url, estimateTokens, hardware });
      await estimating.load({ path: '' });
      const estimate = await estimating.promptTokens(QUESTION);
      expect(estimate).toBe(estimateTokens(`${QUESTION.system}\n${QUESTION.messages[0]!.text}`) + 16);
    } finally {
      await plain.close();
    }
  });

  it('a cancel aborts the HTTP request and keeps the text so far', async () => {
    const remote = await loaded();
    const controller = new AbortController();
    const before = standIn.abortedStreams();
    let pieces = 0;
    const result = await remote.generate({ ...QUESTION, maxTokens: 400 }, {
      signal: controller.signal,
      onText: () => {
        if (++pieces === 3) controller.abort();
      },
    });
    expect(result.reason).toBe('aborted');
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.interruption).toBeUndefined();
    await standIn.waitForAbortedStreams(before + 1);
  });

  it('a cancel during a slow first byte ends the request without text', async () => {
    const remote = await loaded();
    standIn.fail({ kind: 'slow-first-byte', delayMs: 60_000 });
    try {
      const controller = new AbortController();
      const before = standIn.abortedStreams();
      const answering = remote.generate(QUESTION, { signal: controller.signal });
      await waitFor(() => standIn.received.at(-1)?.path === '/v1/chat/completions');
      controller.abort();
      const result = await answering;
      expect(result).toMatchObject({ text: '', reason: 'aborted' });
      await standIn.waitForAbortedStreams(before + 1);
    } finally {
      standIn.fail(undefined);
    }
  });

  it('a slow first byte is waited for', async () => {
    const remote = await loaded();
    standIn.fail({ kind: 'slow-first-byte', delayMs: 300 });
    try {
      const result = await remote.generate({ ...QUESTION, maxTokens: 8 });
      expect(result.text.length).toBeGreaterThan(0);
    } finally {
      standIn.fail(undefined);
    }
  });

  it('a stream cut half-way keeps the partial text and says why', async () => {
    const remote = await loaded();
    standIn.fail({ kind: 'cut', afterChunks: 4 });
    try {
      const pieces: string[] = [];
      const result = await remote.generate({ ...QUESTION, maxTokens: 200 }, { onText: (t) => pieces.push(t) });
      expect(pieces.length).toBe(4);
      expect(result.text).toBe(pieces.join(''));
      expect(result.reason).toBe('aborted');
      expect(result.interruption?.code).toBe('remote-stream-cut');
      expect(result.interruption?.message).toContain(standIn.host);
      const before = await failure((async () => {
        standIn.fail({ kind: 'cut', afterChunks: 0 });
        return remote.generate(QUESTION);
      })());
      expect(before.code).toBe('remote-stream-cut');
    } finally {
      standIn.fail(undefined);
    }
  });

  it('401, 429 with its Retry-After and 500 are typed French errors', async () => {
    const remote = await loaded();
    try {
      standIn.fail({ kind: 'rate-limited', retryAfterSeconds: 7 });
      const limited = await failure(remote.generate(QUESTION));
      expect(limited.code).toBe('remote-rate-limited');
      expect(limited.retryAfterSeconds).toBe(7);
      expect(limited.message).toContain('Réessayez dans 7 s');
      standIn.fail({ kind: 'server-error' });
      expect((await failure(remote.generate(QUESTION))).code).toBe('remote-server-error');
      standIn.fail({ kind: 'unauthorized' });
      expect((await failure(remote.generate(QUESTION))).code).toBe('remote-unauthorized');
    } finally {
      standIn.fail(undefined);
    }
    const wrongKey = await failure(runtime(standIn.url, 'mauvaise-cle').load({ path: '' }));
    expect(wrongKey.code).toBe('remote-unauthorized');
    expect(wrongKey.message).toMatch(/clé d'API/);
    expect(JSON.stringify({ message: wrongKey.message, cause: String(wrongKey.cause) })).not.toContain('mauvaise-cle');
    const unknown = await failure(runtime().load({ path: 'mistral-7b' }));
    expect(unknown.code).toBe('remote-model-unknown');
    expect(unknown.message).toContain('stories260K');
  });

  it('an unreachable server and an invalid certificate are errors, never ignored', async () => {
    const closed = createHttpsServer();
    await new Promise<void>((ready) => closed.listen(0, '127.0.0.1', ready));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((done) => closed.close(() => done()));
    expect((await failure(runtime(`http://127.0.0.1:${port}/v1`).load({ path: '' }))).code).toBe('remote-unreachable');

    const dir = await mkdtemp(join(tmpdir(), 'guichet-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      const tls = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (_req, res) => res.end('{}'));
      await new Promise<void>((ready) => tls.listen(0, '127.0.0.1', ready));
      try {
        const tlsPort = (tls.address() as AddressInfo).port;
        const refused = await failure(runtime(`https://127.0.0.1:${tlsPort}/v1`).load({ path: '' }));
        expect(refused.code).toBe('remote-certificate');
        expect(refused.message).toContain('certificat');
      } finally {
        tls.closeAllConnections();
        await new Promise<void>((done) => tls.close(() => done()));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((next) => setTimeout(next, 10));
}
