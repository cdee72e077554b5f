import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../assistant/contract/buildApi.js';
import { GUICHET_METHODS } from '../../assistant/contract/engineMethods.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { guichetChannel } from '../../assistant/host/guichetChannel.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { controlBytesCopy, truncatedCopy } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';

/** An answer is never lost: whatever fails (model, engine, history), the agent gets the sources, and a warning. */
const STORIES = sharedFile('models/stories260K.gguf');
const SHIPPED_CLI = join(import.meta.dirname, '../../scripts/bin/guichet.js');
const TEST_CLI = join(import.meta.dirname, '../support/guichet-test-cli.js');
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const QUESTION = "Première carte d'identité pour un enfant de 12 ans";
let work: string;
let index: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-never-lost-'));
  index = join(await sharedFullIndex(), 'index');
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fresh data dir holding a copy of the real index, and the contract over a real engine process. */
async function engineOn(name: string) {
  const dataDir = join(work, name);
  await cp(index, join(dataDir, 'index'), { recursive: true });
  const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1 } } }) });
  return { dataDir, host, api: buildApi(GUICHET_METHODS, guichetChannel(host)) };
}

describe('ask never loses the answer', () => {
  it('a model that cannot load: the sources, a warning, and the question kept', async () => {
    const { host, api } = await engineOn('truncated');
    const broken = await truncatedCopy(STORIES, join(work, 'tronque.gguf'));
    const answer = await api.ask({ question: QUESTION, modelPath: broken }).result;
    expect(answer.mode).toBe('search-only');
    expect(answer.sources.map((s) => s.ficheId)).toContain('F1342');
    expect(answer.warnings).toEqual([expect.objectContaining({ code: 'model-unavailable', message: expect.stringContaining('tronque.gguf') })]);
    expect((await api.conversations.list()).total).toBe(1);
    await host.dispose();
  });

  it('the engine killed mid-answer: the draft so far, the sources, a warning; the question kept with its partial answer', async () => {
    const { host, api } = await engineOn('killed');
    const answering = api.ask({ question: QUESTION, modelPath: STORIES, maxTokens: 2000 });
    let written = '';
    for await (const event of answering) {
      if (event.type !== 'token') continue;
      written += event.text;
      if (written.length > 20 && host.status().pid) process.kill(host.status().pid!, 'SIGKILL');
    }
    const answer = await answering.result;
    expect(answer.warnings.map((w) => w.code)).toContain('engine-stopped');
    expect(answer.sources.map((s) => s.ficheId)).toContain('F1342');
    expect(answer.answer.length).toBeGreaterThan(20);
    expect(written.startsWith(answer.answer.slice(0, 20))).toBe(true);
    const { conversations } = await api.conversations.list();
    expect(conversations).toHaveLength(1);
    const stored = await api.conversations.get({ id: conversations[0]!.id });
    expect(stored.messages.map((m) => m.role)).toEqual(['agent', 'assistant']);
    expect(stored.messages[1]?.text).toBe(answer.answer);
    await host.dispose();
  }, 180_000);

  it('a history that cannot be written: the answer and a warning, nothing half-saved', async () => {
    const { dataDir, host, api } = await engineOn('readonly');
    await writeFile(join(dataDir, 'conversations'), 'un fichier là où l’historique attend un dossier');
    const answer = await api.ask({ question: QUESTION, useModel: false }).result;
    expect(answer.sources.map((s) => s.ficheId)).toContain('F1342');
    expect(answer.conversationId).toBeUndefined();
    expect(answer.warnings).toEqual([expect.objectContaining({ code: 'history-unwritable' })]);
    await host.dispose();
  });

  it('an empty question is refused before anything is written', async () => {
    const { host, api } = await engineOn('empty');
    await expect(api.ask({ question: '  \n ' }).result).rejects.toMatchObject({ code: 'invalid-params', message: expect.stringContaining('La question est vide.') });
    expect((await api.conversations.list()).total).toBe(0);
    await host.dispose();
  });

  it('a model that writes control bytes: none reaches the answer, the history or the export; nothing readable is said so', async () => {
    const { host, api } = await engineOn('control');
    const mixed = await controlBytesCopy(STORIES, join(work, 'controle.gguf'), 'mixed');
    const answer = await api.ask({ question: QUESTION, modelPath: mixed, maxTokens: 64, seed: 1 }).result;
    expect(answer.answer.length).toBeGreaterThan(10);
    expect(answer.answer).not.toMatch(CONTROL);
    const exported = await api.conversations.export({ id: answer.conversationId!, format: 'markdown' });
    expect(exported).not.toMatch(CONTROL);
    const only = await controlBytesCopy(STORIES, join(work, 'illisible.gguf'), 'only');
    const unreadable = await api.ask({ question: QUESTION, modelPath: only, maxTokens: 32, seed: 1 }).result;
    expect(unreadable.answer.trim()).toBe('');
    expect(unreadable.warnings).toEqual([{ code: 'no-readable-text', message: "Le modèle n'a produit aucun texte lisible." }]);
    await host.dispose();
  }, 120_000);
});

describe('the CLI', () => {
  const run = promisify(execFile);

  it('`ask --model` with a model that cannot load: exit code 1, and the JSON still carries the sources', async () => {
    const dataDir = join(work, 'cli');
    await cp(index, join(dataDir, 'index'), { recursive: true });
    const broken = await truncatedCopy(STORIES, join(work, 'cli-tronque.gguf'));
    const failed = await run(process.execPath, [TEST_CLI, '--data-dir', dataDir, '--json', 'ask', QUESTION, '--model', broken]).catch((e: unknown) => e as { code: number; stdout: string });
    expect((failed as { code: number }).code).toBe(1);
    const answer = JSON.parse((failed as { stdout: string }).stdout) as { sources: { ficheId: string }[]; warnings: { code: string }[] };
    expect(answer.sources.map((s) => s.ficheId)).toContain('F1342');
    expect(answer.warnings.map((w) => w.code)).toEqual(['model-unavailable']);
  }, 120_000);

  it('an out-of-range option names the option and its limits, exit code 2, before any engine starts', async () => {
    const failed = (await run(process.execPath, [TEST_CLI, '--data-dir', join(work, 'usage'), 'search', 'passeport', '--k', '99']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('--k doit être entre 1 et 50');
  });

  it('GUICHET_POLICY set by a user changes nothing: the machine policy path is fixed', async () => {
    const policy = join(work, 'politique-utilisateur.json');
    await writeFile(policy, JSON.stringify({ 'runtime.threads': 3 }));
    const { stdout } = await run(process.execPath, [SHIPPED_CLI, '--data-dir', join(work, 'policy'), '--json', 'settings', 'list'], { env: { ...process.env, GUICHET_POLICY: policy } });
    const listed = JSON.parse(stdout) as { locked: string[]; policyPath: string };
    expect(listed.locked).toEqual([]);
    expect(listed.policyPath).not.toBe(policy);
  }, 60_000);

  it('Ctrl-C during a draft, as a terminal sends it (to the whole process group): what was written, its sources, « Opération annulée. », exit 130', async () => {
    const dataDir = join(work, 'ctrl-c');
    await cp(index, join(dataDir, 'index'), { recursive: true });
    const child = spawn(process.execPath, [TEST_CLI, '--data-dir', dataDir, 'ask', QUESTION, '--model', STORIES, '--max-tokens', '4000'], {
      detached: true,
      env: { ...process.env, GUICHET_THREADS: '1' },
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && stdout.length > 40) {
        interrupted = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('Opération annulée.');
    expect(stderr).not.toMatch(/Erreur inattendue|n'a pas pu démarrer/);
    expect(stdout).toContain('Rédaction arrêtée à la demande.');
    expect(stdout).toMatch(/Sources citées|Consultées/);
  }, 120_000);
});
