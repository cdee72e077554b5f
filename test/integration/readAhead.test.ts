/**
 * Speculative reading (issue 11) on the real llama.cpp with a real 32k Llama tokenizer
 * (`llama-2-tiny-random.gguf`). Through the engine process: a reading done while the agent types leaves the ask only
 * the question and the template to read, and a follow-up only its new turn. In this process, on the same runtime
 * code: the races (extracts changing mid-reading, a real request arriving mid-reading) are driven from the reading's
 * own step callbacks, so they are decided by steps, never by a clock.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerBeginning, answerRequest } from '../../assistant/ask/askPrompt.js';
import { AskService } from '../../assistant/ask/askService.js';
import { ReadAheadService } from '../../assistant/ask/readAheadService.js';
import type { AskEvent } from '../../assistant/ask/askTypes.js';
import type { Extract } from '../../assistant/ask/extracts.js';
import type { PrepareEvent } from '../../assistant/ask/readAheadTypes.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { createLlamaRuntime, type LlamaRuntime } from '../../native-models/llamaRuntime.js';
import type { ReadAheadResult, ReadingProgress } from '../../native-models/modelRuntime.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

const TINY_LLAMA = sharedFile('models/llama-2-tiny-random.gguf');
const QUESTION = "Quelles pièces pour une première carte d'identité d'un enfant de 12 ans ?";
const dirs: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('read-ahead through the engine process', () => {
  let engine: EngineHost;

  beforeAll(async () => {
    const dataDir = await tempDir('guichet-readahead-');
    await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
    const settingsSources = { policyPath: join(dataDir, 'aucune-politique.json'), userPath: join(dataDir, 'settings.json'), env: { GUICHET_THREADS: '1' } };
    engine = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1 }, settingsSources } }) });
    await engine.call('models.load', { path: TINY_LLAMA, threads: 1, contextSize: 4096 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  async function prepare(params: Parameters<EngineHost['call']>[1]) {
    const events: PrepareEvent[] = [];
    const result = await engine.call('question.prepare', params as never, { onEvent: (event) => events.push(event as PrepareEvent) });
    return { result: result as Awaited<ReturnType<typeof engine.call<'question.prepare'>>>, events };
  }

  async function ask(params: Parameters<EngineHost['call']>[1]) {
    const events: AskEvent[] = [];
    const answer = await engine.call('ask', params as never, { onEvent: (event) => events.push(event as AskEvent) });
    return { answer: answer as Awaited<ReturnType<typeof engine.call<'ask'>>>, events };
  }

  it('shows the fiches as the agent types, without reading when not asked to', async () => {
    const { result, events } = await prepare({ question: "carte d'identité enfant" });
    expect(events[0]).toMatchObject({ type: 'fiches' });
    expect(result.fiches.map((fiche) => fiche.ficheId)).toContain('F1342');
    expect(result.extracts.length).toBeGreaterThan(0);
    expect(result.reading.state).toBe('not-asked');
    expect(events.some((event) => event.type === 'reading')).toBe(false);
  });

  it('after a reading of the extracts, the ask evaluates only the question and the template', async () => {
    const { result, events } = await prepare({ question: QUESTION, read: true });
    expect(result.reading.state).toBe('read');
    expect(result.reading.prefixTokens).toBeGreaterThan(300);
    expect(result.reading.reusedTokens + result.reading.readTokens).toBe(result.reading.prefixTokens);
    expect(events.filter((event) => event.type === 'reading').at(-1)).toMatchObject({ fraction: 1 });
    const { answer, events: asked } = await ask({ question: QUESTION, maxTokens: 16, seed: 1 });
    const tail = answer.stats.promptTokens - result.reading.prefixTokens;
    // The question, « [/INST] », and the one token a reading leaves out at its boundary.
    expect(answer.stats.evaluatedPromptTokens).toBeLessThanOrEqual(tail + 1);
    expect(answer.stats.evaluatedPromptTokens).toBeLessThan(answer.stats.promptTokens * 0.15);
    expect(answer.stats.readAfterSubmitMs).not.toBeNull();
    expect(asked.filter((event) => event.type === 'reading').at(-1)).toMatchObject({ fraction: 1 });
    // The same question on other extracts, without a reading, reads them all after submit: the figure above is no accident.
    const other = await ask({ question: 'Quel est le montant du RSA pour une personne seule ?', maxTokens: 16, seed: 1 });
    expect(other.answer.stats.evaluatedPromptTokens).toBeGreaterThan(other.answer.stats.promptTokens / 2);
  });

  it('a follow-up evaluates only its new turn (and with a reading, only its question)', async () => {
    const first = await ask({ question: "Comment refaire une carte d'identité perdue ?", maxTokens: 16, seed: 2 });
    const conversationId = first.answer.conversationId!;
    const followUp = await ask({ question: 'et pour un mineur ?', conversationId, maxTokens: 16, seed: 2 });
    expect(followUp.answer.searchQuery).toContain("carte d'identité");
    // The first turn (system prompt, extracts, question) is not read again: at most the answer and the new turn are.
    const firstTurn = first.answer.stats.promptTokens;
    expect(followUp.answer.stats.promptTokens).toBeGreaterThan(firstTurn);
    expect(followUp.answer.stats.evaluatedPromptTokens).toBeLessThanOrEqual(followUp.answer.stats.promptTokens - firstTurn);
    // Its citations number across the turns: the first turn's extracts keep their numbers.
    expect([...followUp.answer.sources, ...followUp.answer.consulted].length).toBeGreaterThan(0);
    const { result } = await prepare({ question: 'et si elle est majeure ?', conversationId, read: true });
    expect(result.reading.state).toBe('read');
    const third = await ask({ question: 'et si elle est majeure ?', conversationId, maxTokens: 16, seed: 2 });
    expect(third.answer.stats.evaluatedPromptTokens).toBeLessThanOrEqual(third.answer.stats.promptTokens - result.reading.prefixTokens + 1);
    expect(third.answer.stats.promptTokens).toBeGreaterThan(followUp.answer.stats.promptTokens);
  });

  it('reads nothing when runtime.readAhead is off', async () => {
    await engine.call('settings.set', { key: 'runtime.readAhead', value: false });
    try {
      const { result } = await prepare({ question: QUESTION, read: true });
      expect(result.reading.state).toBe('off');
      expect(result.fiches.length).toBeGreaterThan(0);
    } finally {
      await engine.call('settings.set', { key: 'runtime.readAhead', value: true });
    }
  });
});

const extract = (n: number, id: string, body: string): Extract => ({
  n, ficheId: id, title: `Fiche ${id}`, url: `https://www.service-public.fr/particuliers/vosdroits/${id}`, date: '2020-07-21',
  audience: 'particuliers', chunkId: `particuliers:${id}#0`, sectionPath: ['Pièces à fournir'], text: body.repeat(8),
});
const COMMON = [
  extract(1, 'F1342', "La demande de carte d'identité d'un mineur est faite par un parent, en mairie, avec une photo récente. "),
  extract(2, 'F21089', 'La pré-demande en ligne évite de remplir le formulaire au guichet de la mairie. '),
];
const FIRST = [...COMMON, extract(3, 'F1341', 'Un justificatif de domicile de moins d’un an est demandé au parent. ')];
const SECOND = [...COMMON, extract(3, 'F14929', 'En cas de perte, une déclaration est remplie en mairie lors de la demande. ')];

describe('read-ahead races, decided by reading steps (same runtime code, in this process)', () => {
  let runtime: LlamaRuntime;

  beforeAll(async () => {
    runtime = createLlamaRuntime({ dataDir: await tempDir('guichet-readahead-direct-') });
    await runtime.load({ path: TINY_LLAMA, threads: 1, gpu: 'cpu', contextSize: 4096 });
  });
  afterAll(async () => {
    await runtime.dispose();
  });

  it('the system prompt read once the model is loaded leaves only the extracts and the question to read', async () => {
    const unused = () => Promise.reject(new Error('no search in this test'));
    const ask = new AskService({ search: unused, getFiche: unused }, undefined);
    const service = (settings: Partial<ReturnType<typeof defaultSettings>>, onBattery = false) =>
      new ReadAheadService({ ask, runtime, settings: { ...defaultSettings(), ...settings }, power: { onBattery: async () => onBattery } });
    // Another prompt in the context, as after a load or a question of another kind.
    await runtime.generate({ messages: [{ role: 'user', text: 'Bonjour' }], maxTokens: 1 });
    expect((await service({ 'runtime.readAhead': false }).readSystemPrompt()).state).toBe('off');
    expect((await service({}, true).readSystemPrompt()).state).toBe('battery');
    const control = await runtime.generate(answerRequest({ question: QUESTION, extracts: SECOND, maxTokens: 1 }));
    await runtime.generate({ messages: [{ role: 'user', text: 'Bonjour' }], maxTokens: 1 });
    const system = await service({}).readSystemPrompt();
    expect(system.state).toBe('read');
    expect(system.prefixTokens).toBeGreaterThan(250);
    const answer = await runtime.generate(answerRequest({ question: QUESTION, extracts: FIRST, maxTokens: 1 }));
    expect(answer.stats.evaluatedPromptTokens).toBeLessThanOrEqual(answer.stats.promptTokens - system.prefixTokens + 1);
    // Without it, the system prompt is read after the question too: the figure above is no accident.
    expect(control.stats.evaluatedPromptTokens).toBeGreaterThan(control.stats.promptTokens - 10);
  });

  it('never loads a model: without one it reads nothing', async () => {
    const empty = createLlamaRuntime({ dataDir: await tempDir('guichet-readahead-empty-') });
    try {
      expect((await empty.readAhead(answerBeginning({ extracts: FIRST }))).state).toBe('no-model');
      expect(empty.status().state).toBe('empty');
    } finally {
      await empty.dispose();
    }
  });

  it('extracts changing mid-reading: the reading stops and the common prefix is kept', async () => {
    await runtime.generate({ messages: [{ role: 'user', text: 'Bonjour' }], maxTokens: 1 });
    let second: Promise<ReadAheadResult> | undefined;
    let stoppedAt: ReadingProgress | undefined;
    const first = await runtime.readAhead(answerBeginning({ extracts: FIRST }), {
      onProgress: (progress) => {
        // Past the system prompt, inside the extracts the two prompts share: the agent's text changes the third one.
        if (second || progress.inContext < 200) return;
        stoppedAt = progress;
        second = runtime.readAhead(answerBeginning({ extracts: SECOND }));
      },
    });
    expect(first.state).toBe('superseded');
    expect(first.stepsAfterYield).toBe(0);
    expect(first.reusedTokens + first.readTokens).toBe(stoppedAt!.inContext);
    expect(stoppedAt!.inContext).toBeLessThan(first.prefixTokens);
    const next = await second!;
    expect(next.state).toBe('read');
    expect(next.reusedTokens).toBe(stoppedAt!.inContext);
    expect(next.readTokens).toBe(next.prefixTokens - stoppedAt!.inContext);
  });

  it('a real request during a reading starts at the next step and continues from where the reading stands', async () => {
    await runtime.generate({ messages: [{ role: 'user', text: 'Bonsoir' }], maxTokens: 1 });
    const request = answerRequest({ question: QUESTION, extracts: FIRST, maxTokens: 2 });
    let answering: Promise<Awaited<ReturnType<LlamaRuntime['generate']>>> | undefined;
    let at: ReadingProgress | undefined;
    const firstReading: ReadingProgress[] = [];
    const reading = await runtime.readAhead(answerBeginning({ extracts: FIRST }), {
      onProgress: (progress) => {
        if (answering || progress.inContext < 100) return;
        at = progress;
        answering = runtime.generate(request, { onReading: (step) => firstReading.push(step) });
      },
    });
    expect(reading.state).toBe('yielded');
    // The step in flight when the request came was the last: the next one was the request's.
    expect(reading.stepsAfterYield).toBe(0);
    expect(reading.reusedTokens + reading.readTokens).toBe(at!.inContext);
    const answer = await answering!;
    expect(firstReading[0]?.inContext).toBe(at!.inContext);
    // All that the reading had not read yet, and nothing of what it had (the meter may count the last token as the answer's).
    expect(answer.stats.evaluatedPromptTokens).toBeLessThanOrEqual(answer.stats.promptTokens - at!.inContext);
    expect(answer.stats.evaluatedPromptTokens).toBeGreaterThanOrEqual(answer.stats.promptTokens - at!.inContext - 1);
  });
});
