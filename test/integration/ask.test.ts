import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskEvent } from '../../assistant/ask/askTypes.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

/** Questions through the real engine process: real index of the DILA feeds, real llama.cpp on the tiny models. */
const STORIES = sharedFile('models/stories260K.gguf');
const GUICHET = join(import.meta.dirname, '../../scripts/bin/guichet.js');
let dataDir: string;
let engine: EngineHost;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-ask-'));
  await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
  engine = new EngineHost({
    spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1 } } }),
  });
});

afterAll(async () => {
  await engine.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function ask(params: Parameters<EngineHost['call']>[1], signal?: AbortSignal) {
  const events: AskEvent[] = [];
  const answer = await engine.call('ask', params as never, { ...(signal ? { signal } : {}), onEvent: (event) => events.push(event as AskEvent) });
  return { answer: answer as Awaited<ReturnType<typeof engine.call<'ask'>>>, events };
}

describe('ask', () => {
  it('streams a draft with the real fiches’ sources, related questions and links', async () => {
    const { answer, events } = await ask({ question: "Première carte d'identité pour un enfant de 12 ans", modelPath: STORIES, maxTokens: 48, seed: 1 });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('status');
    expect(types.indexOf('sources')).toBeLessThan(types.indexOf('token'));
    expect(types.slice(-4)).toEqual(['citations', 'related', 'links', 'done']);
    expect(events.filter((e) => e.type === 'token').length).toBeGreaterThan(3);
    expect(answer.mode).toBe('model');
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(answer.citationValidity).toBeGreaterThanOrEqual(0);
    expect([...answer.sources, ...answer.consulted].map((s) => s.ficheId)).toEqual(expect.arrayContaining(['F1342']));
    expect(answer.relatedQuestions.map((q) => q.ficheId)).toContain('F11601');
    expect(answer.links.map((l) => l.url)).toContain('https://passeport.ants.gouv.fr/Vos-demarches/Realiser-une-pre-demande-de-carte-nationale-d-identite-CNI');
    expect(answer.links[0]?.type).toBe('teleservice');
    expect(answer.stats.ttftMs).toBeGreaterThan(0);
    expect(answer.stats.promptTokens).toBeGreaterThan(100);
    expect(answer.stats.promptTokens).toBeLessThanOrEqual(2048);
  });

  it('stops mid-answer when cancelled and keeps what was written', async () => {
    const controller = new AbortController();
    const started = performance.now();
    let stoppedAt = 0;
    const pending = engine.call('ask', { question: 'Renouveler un passeport', modelPath: STORIES, maxTokens: 2000 }, {
      signal: controller.signal,
      onEvent: (event) => {
        if ((event as AskEvent).type === 'token' && !controller.signal.aborted) {
          stoppedAt = performance.now();
          controller.abort();
        }
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - stoppedAt).toBeLessThan(1_000);
    expect(performance.now() - started).toBeLessThan(30_000);
    // The engine is still there for the next question.
    expect(await engine.call('engine.ping', undefined)).toBe('pong');
  });

  it('without a model, gives the same answer shape with the best passages, labelled as search results', async () => {
    const { answer, events } = await ask({ question: "Carte d'identité pour un enfant de 12 ans", useModel: false });
    expect(answer.mode).toBe('search-only');
    expect(answer.stopReason).toBe('no-model');
    expect(answer.answer).toMatch(/^Résultats de recherche/);
    expect(answer.sources.map((s) => s.ficheId)).toContain('F1342');
    expect(answer.sources[0]?.passages.length).toBeGreaterThan(0);
    expect(answer.relatedQuestions.length).toBeGreaterThan(0);
    expect(answer.links.length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'token')).toBe(false);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('searches a follow-up with the subject of the previous question', async () => {
    const first = await ask({ question: "Comment refaire une carte d'identité perdue ?", useModel: false });
    const second = await ask({ question: 'et pour un mineur ?', conversationId: first.answer.conversationId, useModel: false });
    expect(second.answer.searchQuery).toContain("carte d'identité");
    expect(second.answer.sources.map((s) => s.ficheId)).toContain('F1153');
    const conversation = await engine.call('conversations.get', { id: first.answer.conversationId! });
    expect(conversation.messages.map((m) => m.role)).toEqual(['agent', 'assistant', 'agent', 'assistant']);
  });

  it('masks personal data in stored history and exports', async () => {
    const question = 'Mme Durand (marie.durand@example.fr, 06 12 34 56 78) a perdu son passeport';
    const { answer } = await ask({ question, useModel: false });
    const files = await readdir(join(dataDir, 'conversations'));
    const raw = await readFile(join(dataDir, 'conversations', files.find((f) => f.startsWith(answer.conversationId!))!), 'utf8');
    for (const secret of ['marie.durand@example.fr', '06 12 34 56 78', 'Durand']) expect(raw).not.toContain(secret);
    const markdown = await engine.call('conversations.export', { id: answer.conversationId!, format: 'markdown' });
    expect(markdown).toContain('[E-MAIL]');
    expect(markdown).not.toContain('marie.durand');
    const feedback = await engine.call('feedback.record', { conversationId: answer.conversationId!, messageId: answer.messageId!, verdict: 'used-as-is', secondsToCopy: 42 });
    expect(feedback.verdict).toBe('used-as-is');
    expect((await engine.call('feedback.stats', undefined)).usedAsIs).toBe(1);
  });

  it('refuses an empty question and treats HTML as text', async () => {
    await expect(ask({ question: '   ', useModel: false })).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-params', message: expect.stringContaining('La question est vide.') });
    const { answer } = await ask({ question: '<script>alert(1)</script> passeport perdu', useModel: false });
    expect(answer.sources.length).toBeGreaterThan(0);
  });

  it('uses the installed model when none is named', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, GUICHET_THREADS: '1' };
    await run(process.execPath, [GUICHET, '--data-dir', dataDir, 'models', 'add', STORIES], { env });
    const { stdout } = await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'ask', 'Renouveler un passeport', '--max-tokens', '16'], { env });
    const answer = JSON.parse(stdout);
    expect(answer.mode).toBe('model');
    expect(answer.stats.ttftMs).toBeGreaterThan(0);
  });

  it('`guichet ask --json` answers with no network at all', async () => {
    const args = [GUICHET, '--data-dir', dataDir, '--json', 'ask', "carte d'identité pour un enfant de 12 ans", '--no-model'];
    const run = promisify(execFile);
    // A network namespace without interfaces when we may create one (root), else the plain process.
    const isolated = process.getuid?.() === 0 ? await run('unshare', ['-n', 'true']).then(() => true, () => false) : false;
    const { stdout } = isolated ? await run('unshare', ['-n', process.execPath, ...args]) : await run(process.execPath, args);
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(['answer', 'citations', 'sources', 'consulted', 'relatedQuestions', 'links', 'stats']));
    expect(answer.sources[0]).toEqual(expect.objectContaining({ ficheId: expect.any(String), title: expect.any(String), url: expect.any(String), date: expect.any(String), passages: expect.any(Array) }));
    expect(answer.links[0]).toEqual(expect.objectContaining({ title: expect.any(String), url: expect.any(String), type: expect.any(String) }));
    expect(answer.stats).toEqual(expect.objectContaining({ searchMs: expect.any(Number), promptTokens: expect.any(Number), tokensPerSecond: expect.any(Number) }));
  });
});
