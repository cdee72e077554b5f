import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskEvent } from '../../assistant/ask/askTypes.js';
import { parseCitations } from '../../assistant/ask/citations.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { expectMeasured } from '../support/measured.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';
import { CLI_CHILD_TIMEOUT_MS } from '../support/timeouts.js';

/** Questions through the real engine process: real index of the DILA feeds, real llama.cpp on the tiny models. */
const STORIES = sharedFile('models/stories260K.gguf');
const GUICHET = join(import.meta.dirname, '../../scripts/bin/guichet.js');
const run = promisify(execFile);
const dataDirs: string[] = [];
let dataDir: string;
let engine: EngineHost;

/** A data dir of its own holding a copy of the shared index of the three feeds. */
async function dataDirWithIndex(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'guichet-ask-'));
  dataDirs.push(dir);
  await cp(join(await sharedFullIndex(), 'index'), join(dir, 'index'), { recursive: true });
  return dir;
}

/** `guichet` as a child process, with one thread for llama.cpp. */
function guichet(args: string[]) {
  return run(process.execPath, [GUICHET, ...args], { env: { ...process.env, GUICHET_THREADS: '1' }, timeout: CLI_CHILD_TIMEOUT_MS });
}

// The engine's tests share it and its data dir, and assert only on what each of them writes there (its own
// conversation, the feedback it adds); the CLI tests get a data dir each.
beforeAll(async () => {
  dataDir = await dataDirWithIndex();
  engine = new EngineHost({
    spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1 } } }),
  });
});

afterAll(async () => {
  await engine.dispose();
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
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
    // The tiny model writes stories, seldom `[n]`: the figure must still be the one of the marks in the text.
    const marks = parseCitations(answer.answer);
    const valid = marks.filter((mark) => answer.citations.some((citation) => citation.n === mark.n)).length;
    expect(answer.citationValidity).toBe(marks.length === 0 ? 1 : valid / marks.length);
    expect(answer.invalidCitations.filter((n) => answer.citations.some((citation) => citation.n === n))).toEqual([]);
    expect([...answer.sources, ...answer.consulted].map((s) => s.ficheId)).toEqual(expect.arrayContaining(['F1342']));
    expect(answer.relatedQuestions.map((q) => q.ficheId)).toContain('F11601');
    expect(answer.links.map((l) => l.url)).toContain('https://passeport.ants.gouv.fr/Vos-demarches/Realiser-une-pre-demande-de-carte-nationale-d-identite-CNI');
    expect(answer.links[0]?.type).toBe('teleservice');
    expectMeasured(answer.stats.ttftMs, 'délai du premier jeton');
    expect(answer.stats.promptTokens).toBeGreaterThan(100);
    expect(answer.stats.promptTokens).toBeLessThanOrEqual(2048);
  });

  it('stops mid-answer when cancelled and keeps what was written', async () => {
    const answering = engine.stream('ask', { question: 'Renouveler un passeport', modelPath: STORIES, maxTokens: 2000 });
    const events: AskEvent[] = [];
    let written = '';
    for await (const event of answering) {
      events.push(event);
      if (event.type !== 'token') continue;
      written += event.text;
      answering.cancel();
    }
    const answer = await answering.result;
    // The stream ends the engine's way: a done « stopped » event with the partial draft, its sources and its saved id.
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', reason: 'stopped', answer: answer.answer, messageId: answer.messageId });
    expect(answer.stopReason).toBe('aborted');
    expect(answer.answer.length).toBeGreaterThan(0);
    expect(written.trim().startsWith(answer.answer.slice(0, 10))).toBe(true);
    expect(answer.notices).toContain('Rédaction arrêtée à la demande.');
    const stored = await engine.call('conversations.get', { id: answer.conversationId! });
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', id: answer.messageId, text: answer.answer });
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
    const before = (await engine.call('feedback.stats', undefined)).usedAsIs;
    const feedback = await engine.call('feedback.record', { conversationId: answer.conversationId!, messageId: answer.messageId!, verdict: 'used-as-is', secondsToCopy: 42 });
    expect(feedback.verdict).toBe('used-as-is');
    expect((await engine.call('feedback.stats', undefined)).usedAsIs).toBe(before + 1);
  });

  it('refuses an empty question and treats HTML as text', async () => {
    await expect(ask({ question: '   ', useModel: false })).rejects.toMatchObject({ name: 'RpcError', code: 'invalid-params', message: expect.stringContaining('La question est vide.') });
    const { answer } = await ask({ question: '<script>alert(1)</script> passeport perdu', useModel: false });
    expect(answer.sources.length).toBeGreaterThan(0);
  });

  it('uses the installed model when none is named', async () => {
    const own = await dataDirWithIndex();
    await guichet(['--data-dir', own, 'models', 'add', STORIES]);
    const { stdout } = await guichet(['--data-dir', own, '--json', 'ask', 'Renouveler un passeport', '--max-tokens', '16']);
    const answer = JSON.parse(stdout);
    expect(answer.mode).toBe('model');
    expectMeasured(answer.stats.ttftMs, 'délai du premier jeton');
  });

  it('`guichet ask --json` answers with no network at all', async () => {
    const args = [GUICHET, '--data-dir', await dataDirWithIndex(), '--json', 'ask', "carte d'identité pour un enfant de 12 ans", '--no-model'];
    // A network namespace without interfaces when we may create one (root), else the plain process.
    const isolated = process.getuid?.() === 0 ? await run('unshare', ['-n', 'true']).then(() => true, () => false) : false;
    const { stdout } = isolated
      ? await run('unshare', ['-n', process.execPath, ...args], { timeout: CLI_CHILD_TIMEOUT_MS })
      : await run(process.execPath, args, { timeout: CLI_CHILD_TIMEOUT_MS });
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(['answer', 'citations', 'sources', 'consulted', 'relatedQuestions', 'links', 'stats']));
    expect(answer.sources[0]).toEqual(expect.objectContaining({ ficheId: expect.any(String), title: expect.any(String), url: expect.any(String), date: expect.any(String), passages: expect.any(Array) }));
    expect(answer.links[0]).toEqual(expect.objectContaining({ title: expect.any(String), url: expect.any(String), type: expect.any(String) }));
    expect(answer.stats).toEqual(expect.objectContaining({ searchMs: expect.any(Number), promptTokens: expect.any(Number), tokensPerSecond: expect.any(Number) }));
  });
});
