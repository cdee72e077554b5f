import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalResults } from '../../assistant/eval/evalResults.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openAiStandIn.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';
import { CLI_CHILD_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * `guichet eval --remote`: the shared model server as one more column beside a GGUF of this PC — the OpenAI-compatible
 * stand-in on 127.0.0.1 writing real tokens of stories260K, the real index and engine, machine policy checked.
 */
const GUICHET = join(import.meta.dirname, '../support/guichet-test-cli.js');
const LOCAL = sharedFile('models/llama-2-tiny-random.gguf');
const run = promisify(execFile);
let root: string;
let dataDir: string;
let questionsFile: string;
let standIn: OpenAiStandIn;

async function policy(name: string, values: Record<string, unknown>): Promise<string> {
  const path = join(root, `${name}.json`);
  await writeFile(path, JSON.stringify(values));
  return path;
}

function guichet(policyPath: string, out: string, extra: string[]) {
  const args = [GUICHET, '--politique', policyPath, '--data-dir', dataDir, 'eval', '--questions', questionsFile, '--device', 'cpu', '--k', '1', '--max-tokens', '16', '--out', out, '--json', ...extra];
  return run(process.execPath, args, { env: { ...process.env, GUICHET_THREADS: '1' }, timeout: CLI_CHILD_TIMEOUT_MS }).then(
    () => 0,
    (error: { code: number }) => error.code,
  );
}

async function results(out: string): Promise<EvalResults> {
  return JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as EvalResults;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'guichet-eval-remote-'));
  dataDir = join(root, 'data');
  await cp(join(await sharedFullIndex(), 'index'), join(dataDir, 'index'), { recursive: true });
  const example = JSON.parse(await readFile(join(import.meta.dirname, '../../docs/eval/questions-agents.json'), 'utf8')) as { questions: { id: string }[] };
  questionsFile = join(root, 'questions.json');
  await writeFile(questionsFile, JSON.stringify({ name: 'extrait', questions: ['e01', 'e02'].map((id) => example.questions.find((q) => q.id === id)) }));
  standIn = await startOpenAiStandIn({ modelPath: sharedFile('models/stories260K.gguf') });
});

afterAll(async () => {
  await standIn?.close();
  await rm(root, { recursive: true, force: true });
});

describe('guichet eval --remote', () => {
  it('measures the shared server as one more column beside the model of this PC', async () => {
    const allowed = await policy('allowed', { 'remote.allowed': true, 'remote.allowedHosts': [standIn.host] });
    const out = join(root, 'both');
    expect(await guichet(allowed, out, ['--model', LOCAL, '--remote', standIn.url])).toBe(0);
    const report = await results(out);
    expect(report.failedModels).toEqual([]);
    expect(report.models.map((m) => m.path)).toEqual([LOCAL, standIn.url]);
    const [local, remote] = report.models;
    expect(remote?.fileName).toBe(standIn.model);
    expect(remote?.answers).toHaveLength(2);
    expect(remote?.answers.every((a) => a.answer.length > 0)).toBe(true);
    expect(local?.answers).toHaveLength(2);
    // The server wrote the server's column only: one chat completion per question.
    expect(standIn.received.filter((r) => r.path.endsWith('/chat/completions'))).toHaveLength(2);
    await expect(readFile(join(out, 'rapport.html'), 'utf8')).resolves.toContain(standIn.model);
  });

  it('reports a server the machine policy does not allow, and still measures the others', async () => {
    const closed = await policy('closed', {});
    const out = join(root, 'refused');
    const before = standIn.received.length;
    expect(await guichet(closed, out, ['--model', LOCAL, '--remote', standIn.url])).toBe(1);
    const report = await results(out);
    expect(report.models.map((m) => m.path)).toEqual([LOCAL]);
    expect(report.failedModels).toEqual([expect.objectContaining({ path: standIn.url, message: expect.stringMatching(/politique machine/) })]);
    expect(standIn.received.length).toBe(before);
  });
});
