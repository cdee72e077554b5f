import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResults } from '../../assistant/eval/evalResults.js';
import { launchChromium, newPage } from '../e2e/support/browser.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';
import { CLI_CHILD_TIMEOUT_MS, ENGINE_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * `guichet eval` end to end: the real index of the three DILA feeds, the two tiny models side by side in real engine
 * processes, results.json and the HTML report (opened in Chromium), and a run killed half-way then resumed.
 */
/** The test composition of the CLI: the machine's own policy file is not read. */
const GUICHET = join(import.meta.dirname, '../support/guichet-test-cli.js');
const MODELS = [sharedFile('models/stories260K.gguf'), sharedFile('models/llama-2-tiny-random.gguf')];
const run = promisify(execFile);
const env = { ...process.env, GUICHET_THREADS: '1' };
let root: string;
let dataDir: string;
let questionsFile: string;
let full: EvalResults;
let fullStdout: string;
const fullOut = () => join(root, 'full');

/** Three questions of the example set: facts expected, out of scope, a short one. */
const QUESTIONS = ['e01', 'e06', 'e02'];

function evalArgs(out: string, extra: string[] = []): string[] {
  return [GUICHET, '--data-dir', dataDir, 'eval', '--questions', questionsFile, ...MODELS.flatMap((m) => ['--model', m]), '--device', 'cpu', '--k', '1', '--max-tokens', '16', '--out', out, ...extra];
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guichet-eval-'));
  dataDir = join(root, 'data');
  await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
  const example = JSON.parse(await readFile(join(import.meta.dirname, '../../docs/eval/questions-agents.json'), 'utf8')) as { questions: { id: string }[] };
  questionsFile = join(root, 'questions.json');
  await writeFile(questionsFile, JSON.stringify({ name: 'extrait', questions: QUESTIONS.map((id) => example.questions.find((q) => q.id === id)) }));
  // The uninterrupted run every test reads or compares with: built here, not left over by another test.
  fullStdout = (await run(process.execPath, [...evalArgs(fullOut()), '--json'], { env, timeout: CLI_CHILD_TIMEOUT_MS })).stdout;
  full = results(fullOut());
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function results(out: string): EvalResults {
  return JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as EvalResults;
}

/** What must not change between an uninterrupted run and one killed then resumed. */
function totals(r: EvalResults) {
  return {
    retrieval: { questions: r.retrieval.questions, recallAt1: r.retrieval.recallAt1, recallAt5: r.retrieval.recallAt5, mrr: r.retrieval.mrr },
    models: r.models.map((m) => ({
      key: m.key,
      answered: m.summary.answered,
      drafted: m.summary.drafted,
      citationValidity: m.summary.citationValidity,
      citesGold: m.summary.citesGold,
      noCitation: m.summary.noCitation,
      outOfScopeDeclined: m.summary.outOfScopeDeclined,
      factsFound: m.summary.factsFound,
      questions: m.answers.map((a) => a.questionId),
    })),
  };
}

describe('guichet eval', () => {
  it('measures two models side by side and writes results.json and the report', () => {
    const printed = JSON.parse(fullStdout) as { files: { results: string; report: string }; results: EvalResults };
    expect(printed.files.report).toBe(join(fullOut(), 'rapport.html'));
    expect(printed.results.models).toHaveLength(2);
    expect(full.schema).toBe('guichet-eval/1');
    expect(full.models.map((m) => m.fileName)).toEqual(['stories260K.gguf', 'llama-2-tiny-random.gguf']);
    expect(full.retrieval).toMatchObject({ questions: 2, skipped: 1 });
    expect(full.machine.cpu.logicalCores).toBeGreaterThan(0);
    expect(full.corpus.fiches).toBeGreaterThan(1000);
    for (const model of full.models) {
      expect(model.answers.map((a) => a.questionId)).toEqual(QUESTIONS);
      expect(model.loadMs).toBeGreaterThan(0);
      expect(model.summary.peakRssBytes).toBeGreaterThan(20 * 2 ** 20);
      for (const answer of model.answers) {
        expect(answer.mode).toBe('model');
        expect(answer.extracts).toBeGreaterThan(0);
        expect(answer.tokens.completion).toBeGreaterThan(0);
        // The first token's delay was measured (its size is the benchmark's business, not a test's).
        expect(answer.timings.ttftMs).toEqual(expect.any(Number));
        expect(answer.energy.joules).toBeGreaterThan(0);
        expect(answer.cpuMs).toBeGreaterThan(0);
        // The figure is the one of the marks in the text: valid ones point to an extract given.
        expect(answer.score.validMarks).toBeLessThanOrEqual(answer.score.marks);
      }
      const facts = model.answers.reduce((sum, a) => sum + a.score.facts.expected, 0);
      expect(facts).toBeGreaterThan(0);
      expect(model.summary.outOfScopeDeclined).not.toBeUndefined();
    }
  });

  it('gives a report that reads offline: charts as inline SVG, no request, no console error', async () => {
    const report = join(fullOut(), 'rapport.html');
    const html = await readFile(report, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(?:src|href)=["']https?:/i);
    const browser = await launchChromium();
    try {
      const { context, page, problems } = await newPage(browser);
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(report).href);
      expect(await page.locator('figure.chart svg').count()).toBe(4);
      expect(await page.locator('figure.chart svg path, figure.chart svg rect').count()).toBeGreaterThan(10);
      await expect(page.locator('h1').textContent()).resolves.toContain('Évaluation des modèles');
      expect(await page.locator('table.questions tbody tr').count()).toBe(QUESTIONS.length);
      expect(requests).toEqual([pathToFileURL(report).href]);
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await browser.close();
    }
  });

  it('stops on Ctrl-C (exit 130), resumes, survives a kill, and resumes again to the same totals; never mixes question sets', async () => {
    const out = join(root, 'killed');
    const journalAnswers = () => (existsSync(join(out, 'reprise.jsonl')) ? readFileSync(join(out, 'reprise.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"type":"answer"')).length : 0);

    // Ctrl-C as a terminal sends it, to the whole process group (the engine child included), once the first answer
    // is measured (its progress line printed).
    const first = spawn(process.execPath, evalArgs(out), { env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let interrupted = false;
    const code = new Promise<number | null>((resolve) => first.once('exit', (c) => resolve(c)));
    first.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!interrupted && /\(1\/6/u.test(stderr)) {
        interrupted = true;
        process.kill(-first.pid!, 'SIGINT');
      }
    });
    expect(await code).toBe(130);
    expect(stderr).toContain('Opération annulée.');
    expect(stderr).toMatch(/Évaluation interrompue : \d réponses? sur 6/u);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
    const kept = journalAnswers();
    expect(kept).toBeGreaterThanOrEqual(1);

    // Resumed, then killed outright after a few more answers (printed, so that a failure can be replayed).
    const killAfter = Math.min(5, kept + 1 + Math.floor(Math.random() * (6 - kept)));
    console.log(`eval resume test: ${kept} answers kept at Ctrl-C, kill after ${killAfter} answers`);
    const second = spawn(process.execPath, evalArgs(out, ['--resume']), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<void>((resolve) => second.once('exit', () => resolve()));
    // The child writes its journal as it goes: each progress line after an answer is the event waited for.
    await new Promise<void>((resolve, reject) => {
      second.stderr.on('data', () => {
        if (journalAnswers() >= killAfter) resolve();
      });
      second.once('exit', (c) => (journalAnswers() >= killAfter ? resolve() : reject(new Error(`eval ended (${c}) before ${killAfter} answers`))));
    });
    second.kill('SIGKILL');
    await exited;
    expect(existsSync(join(out, 'results.json'))).toBe(false);

    const other = join(root, 'other.json');
    await writeFile(other, JSON.stringify({ questions: [{ id: 'x', question: 'carte grise', gold: ['F1234'] }] }));
    const refused = await run(process.execPath, [GUICHET, '--data-dir', dataDir, 'eval', '--questions', other, '--model', MODELS[0]!, '--device', 'cpu', '--k', '1', '--max-tokens', '16', '--out', out, '--resume'], { env, timeout: CLI_CHILD_TIMEOUT_MS }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('le jeu de questions') });

    await run(process.execPath, [...evalArgs(out, ['--resume']), '--json'], { env, timeout: CLI_CHILD_TIMEOUT_MS });
    const resumed = results(out);
    expect(resumed.resumed).toBe(true);
    expect(totals(resumed)).toEqual(totals(full));
    // Four CLI children in a row, each starting engines of its own.
  }, 2 * ENGINE_TIMEOUT_MS);

  it('merges runs into one report with guichet eval compare', async () => {
    const out = join(root, 'compare');
    // The same run twice stands for two PCs: what is checked is the merging.
    const { stdout } = await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'eval', 'compare', fullOut(), fullOut(), '--out', out], { env, timeout: CLI_CHILD_TIMEOUT_MS });
    expect(JSON.parse(stdout)).toMatchObject({ runs: [fullOut(), fullOut()] });
    const html = await readFile(join(out, 'rapport.html'), 'utf8');
    expect(html.match(/<figure class="chart">/gu)).toHaveLength(4);
    expect(JSON.parse(await readFile(join(out, 'results.json'), 'utf8')).runs).toHaveLength(2);
  });

  it('still measures retrieval alone, by kind, with guichet eval retrieval', async () => {
    const { stdout } = await run(process.execPath, [GUICHET, '--data-dir', dataDir, '--json', 'eval', 'retrieval', '--questions', questionsFile, '--k', '5'], { env, timeout: CLI_CHILD_TIMEOUT_MS });
    const report = JSON.parse(stdout) as EvalResults['retrieval'];
    expect(report).toMatchObject({ questions: 2, skipped: 1, k: 5 });
    expect(Object.keys(report.byKind).sort()).toEqual(['paraphrase', 'short']);
    expect(report.recallAt5).toBe(full.retrieval.recallAt5);
    // The weak flag is measured against the misses on every question the search flagged or not.
    expect(report.weakFlag).toBeDefined();
    expect((report.weakFlag?.flagged ?? 0) + (report.weakFlag?.notFlagged ?? 0)).toBe(2);
    const { stdout: text } = await run(process.execPath, [GUICHET, '--data-dir', dataDir, 'eval', 'retrieval', '--questions', questionsFile], { env, timeout: CLI_CHILD_TIMEOUT_MS });
    expect(text).toMatch(/recherche signalée faible : \d+ questions? sur 2 /);
  });
});
