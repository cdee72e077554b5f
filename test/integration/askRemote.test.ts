import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskAnswer, AskEvent } from '../../assistant/ask/askTypes.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { defaultSettings, type Settings } from '../../assistant/settings/settingsSchema.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openAiStandIn.js';
import { sharedFile } from '../support/sharedData.js';
import { sharedFullIndex } from '../support/sharedIndex.js';
import { CLI_CHILD_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * Questions answered by a shared model server: the OpenAI-compatible stand-in on 127.0.0.1 writing real tokens of
 * stories260K, the real index of the DILA feeds, the real engine process and CLI.
 */
const STORIES = sharedFile('models/stories260K.gguf');
const TEST_CLI = join(import.meta.dirname, '../support/guichet-test-cli.js');
const run = promisify(execFile);
const KEY = 'sk-guichet-test-4b1d8e2f9a';
const QUESTION = "Première carte d'identité pour un enfant de 12 ans";
/** A NIR with its key, and an IBAN, as an agent could paste them. */
const NIR_BODY = '1 85 05 78 006 084';
const NIR = `${NIR_BODY} ${String(97n - (BigInt(NIR_BODY.replace(/ /g, '')) % 97n)).padStart(2, '0')}`;
const IBAN = 'FR76 3000 6000 0112 3456 7890 189';

let standIn: OpenAiStandIn;
const dirs: string[] = [];

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A data dir of its own holding a copy of the shared index of the three feeds. */
async function dataDirWithIndex(): Promise<string> {
  const dir = await tempDir('guichet-remote-');
  await cp(join(await sharedFullIndex(), 'index'), join(dir, 'index'), { recursive: true });
  return dir;
}

/** A machine policy file allowing the stand-in (plus whatever else the test says). */
async function policyFile(policy: Record<string, unknown>): Promise<string> {
  const path = join(await tempDir('guichet-policy-'), 'policy.json');
  await writeFile(path, JSON.stringify(policy));
  return path;
}

function allowing(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'remote.allowed': true, 'remote.allowedHosts': [standIn.host], ...extra };
}

function guichet(policy: string, args: string[]) {
  return run(process.execPath, [TEST_CLI, '--politique', policy, ...args], { env: { ...process.env, GUICHET_THREADS: '1' }, timeout: CLI_CHILD_TIMEOUT_MS }).then(
    (out) => ({ ...out, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

function engineWith(dataDir: string, settings: Partial<Settings>): EngineHost {
  return new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir, settings: { ...defaultSettings(), 'runtime.threads': 1, ...settings } } }) });
}

async function ask(engine: EngineHost, params: Record<string, unknown>) {
  const events: AskEvent[] = [];
  const answer = (await engine.call('ask', { question: QUESTION, maxTokens: 48, seed: 1, ...params } as never, {
    onEvent: (event) => events.push(event as AskEvent),
  })) as AskAnswer;
  return { answer, events };
}

function chatBodies(): string[] {
  return standIn.received.filter((r) => r.path === '/v1/chat/completions').map((r) => JSON.stringify(r.body));
}

beforeAll(async () => {
  standIn = await startOpenAiStandIn({ modelPath: STORIES, apiKey: KEY });
});

afterAll(async () => {
  await standIn?.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('ask on a shared model server', () => {
  it('guichet ask --remote --json: the real fiches’ sources, related questions and links, the draft written on the server, the key nowhere', async () => {
    const keyFile = join(await tempDir('guichet-key-'), 'cle.txt');
    await writeFile(keyFile, `${KEY}\n`);
    const policy = await policyFile(allowing({ 'remote.apiKeyFile': keyFile }));
    const dataDir = await dataDirWithIndex();
    const before = chatBodies().length;
    const { stdout, stderr, code } = await guichet(policy, ['--data-dir', dataDir, '--json', '--verbose', 'ask', QUESTION, '--remote', standIn.url, '--max-tokens', '48']);
    expect(code, stderr).toBe(0);
    const answer = JSON.parse(stdout) as AskAnswer;
    expect(answer.mode).toBe('model');
    expect(answer.writtenOn).toBe(standIn.host);
    expect(answer.answer.length).toBeGreaterThan(0);
    expect([...answer.sources, ...answer.consulted].map((s) => s.ficheId)).toEqual(expect.arrayContaining(['F1342']));
    expect(answer.relatedQuestions.map((q) => q.ficheId)).toContain('F11601');
    expect(answer.links.map((l) => l.url)).toContain('https://passeport.ants.gouv.fr/Vos-demarches/Realiser-une-pre-demande-de-carte-nationale-d-identite-CNI');
    // The prompt went to the server: the question and the fiches' extracts.
    const sent = chatBodies().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('carte');
    expect(standIn.received.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);

    const conversation = answer.conversationId!;
    const history = await guichet(policy, ['--data-dir', dataDir, '--json', 'conversations', 'export', conversation, '--format', 'markdown']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(`Rédigé sur ${standIn.host}`);
    const json = await guichet(policy, ['--data-dir', dataDir, '--json', 'conversations', 'export', conversation]);
    const stored = await readAll(dataDir);
    expect(stored).toContain(`"writtenOn":"${standIn.host}"`);
    // Never logged, never in history nor in exports.
    for (const text of [stdout, stderr, history.stdout, history.stderr, json.stdout, json.stderr, stored]) expect(text).not.toContain(KEY);
  });

  it('prints « Rédigé sur » and masks personal data before the question leaves the PC, by default', async () => {
    const policy = await policyFile(allowing());
    const own = await dataDirWithIndex();
    const withKey = await guichet(policy, ['--data-dir', own, 'ask', `Mon NIR est ${NIR} et mon IBAN ${IBAN} : ${QUESTION}`, '--remote', standIn.url, '--max-tokens', '16']);
    // The stand-in wants a key and none is configured: refused, said, the sources still there.
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toMatch(/clé d'API/);
    expect(withKey.stdout).toContain('Sources :');

    const engine = engineWith(own, { 'runtime.remote.url': standIn.url, 'remote.allowed': true, 'remote.allowedHosts': [standIn.host] });
    try {
      await engine.call('remote.setApiKey', { apiKey: KEY });
      const secret = join(own, 'secrets', 'remote-api-key');
      expect((await stat(secret)).mode & 0o777).toBe(0o600);
      const before = chatBodies().length;
      const { answer } = await ask(engine, { question: `Mon NIR est ${NIR} et mon IBAN ${IBAN} : ${QUESTION}` });
      expect(answer.mode).toBe('model');
      const sent = chatBodies().slice(before).join('\n');
      expect(sent).toContain('[NIR]');
      expect(sent).toContain('[IBAN]');
      for (const raw of [NIR, NIR.replace(/ /g, ''), IBAN, IBAN.replace(/ /g, '')]) expect(sent).not.toContain(raw);
      // The user's own `privacy.maskBeforeModel: false` does not turn masking off for a server: only policy can.
      const status = await engine.call('remote.status', undefined);
      expect(status).toMatchObject({ allowed: true, host: standIn.host, masking: true, hasStoredKey: true, keyFromPolicy: false });
      expect(JSON.stringify(status)).not.toContain(KEY);
    } finally {
      await engine.dispose();
    }
    const printed = await guichet(policy, ['--data-dir', own, 'ask', QUESTION, '--remote', standIn.url, '--max-tokens', '16']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`Rédigé sur ${standIn.host}`);
    expect(await readAll(own, ['secrets'])).not.toContain(KEY);
  });

  it('policy refuses a server it does not allow, one not listed, and plain HTTP to another host', async () => {
    const dataDir = await dataDirWithIndex();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{}, standIn.url, /n'est pas autorisée sur ce poste/],
      [{ 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr'] }, standIn.url, /n'est pas dans la liste des serveurs autorisés/],
      [{ 'remote.allowed': true, 'remote.allowedHosts': ['llm.dept.gouv.fr'] }, 'http://llm.dept.gouv.fr/v1', /Connexion non chiffrée refusée/],
    ];
    const before = standIn.received.length;
    for (const [policy, url, message] of cases) {
      const { stdout, code } = await guichet(await policyFile(policy), ['--data-dir', dataDir, '--json', 'ask', QUESTION, '--remote', url]);
      expect(code).toBe(1);
      const answer = JSON.parse(stdout) as AskAnswer;
      expect(answer.mode).toBe('search-only');
      expect(answer.sources.length).toBeGreaterThan(0);
      expect(answer.warnings.map((w) => w.message).join(' ')).toMatch(message);
    }
    // Nothing was sent anywhere.
    expect(standIn.received.length).toBe(before);
  });

  it('429, 500 and an unreachable server keep the sources and say why; a local model is offered, never switched to', async () => {
    const dataDir = await dataDirWithIndex();
    const engine = engineWith(dataDir, { 'runtime.remote.url': standIn.url, 'remote.allowed': true, 'remote.allowedHosts': [standIn.host] });
    try {
      await engine.call('remote.setApiKey', { apiKey: KEY });
      standIn.fail({ kind: 'rate-limited', retryAfterSeconds: 7 });
      const limited = (await ask(engine, {})).answer;
      expect(limited.mode).toBe('search-only');
      expect(limited.sources.length).toBeGreaterThan(0);
      expect(limited.warnings.map((w) => w.message).join(' ')).toContain('Réessayez dans 7 s');
      expect(limited.warnings.map((w) => w.code)).not.toContain('local-model-available');
      standIn.fail({ kind: 'server-error' });
      await engine.call('models.add', { path: STORIES });
      const failed = (await ask(engine, {})).answer;
      expect(failed.mode).toBe('search-only');
      expect(failed.warnings.map((w) => w.message).join(' ')).toMatch(/en erreur \(500\)/);
      expect(failed.warnings.map((w) => w.code)).toContain('local-model-available');
      expect(failed.writtenOn).toBeUndefined();
    } finally {
      standIn.fail(undefined);
      await engine.dispose();
    }
    const gone = engineWith(dataDir, { 'runtime.remote.url': 'http://127.0.0.1:9/v1', 'remote.allowed': true, 'remote.allowedHosts': ['127.0.0.1'] });
    try {
      const { answer } = await ask(gone, {});
      expect(answer.mode).toBe('search-only');
      expect(answer.warnings.map((w) => w.message).join(' ')).toMatch(/127\.0\.0\.1:9 est injoignable/);
      expect(answer.warnings.map((w) => w.code)).toContain('local-model-available');
    } finally {
      await gone.dispose();
    }
    // A server that machine policy imposes is never offered to be replaced, though a model is installed.
    const imposed = await policyFile({ 'remote.allowed': true, 'remote.allowedHosts': ['127.0.0.1'], 'runtime.remote.url': 'http://127.0.0.1:9/v1' });
    const { stdout } = await guichet(imposed, ['--data-dir', dataDir, '--json', 'ask', QUESTION]);
    const locked = JSON.parse(stdout) as AskAnswer;
    expect(locked.mode).toBe('search-only');
    expect(locked.sources.length).toBeGreaterThan(0);
    expect(locked.warnings.map((w) => w.message).join(' ')).toMatch(/127\.0\.0\.1:9 est injoignable/);
    expect(locked.warnings.map((w) => w.code)).not.toContain('local-model-available');
  });

  it('a stream cut half-way keeps the partial draft with its sources; a stop aborts the request and keeps what was written', async () => {
    const dataDir = await dataDirWithIndex();
    const engine = engineWith(dataDir, { 'runtime.remote.url': standIn.url, 'remote.allowed': true, 'remote.allowedHosts': [standIn.host] });
    try {
      await engine.call('remote.setApiKey', { apiKey: KEY });
      standIn.fail({ kind: 'cut', afterChunks: 5 });
      const cut = (await ask(engine, { maxTokens: 200 })).answer;
      expect(cut.mode).toBe('model');
      expect(cut.answer.length).toBeGreaterThan(0);
      expect(cut.stopReason).toBe('aborted');
      expect(cut.warnings.map((w) => w.code)).toContain('remote-stream-cut');
      expect(cut.notices).not.toContain('Rédaction arrêtée à la demande.');
      expect(cut.sources.length + cut.consulted.length).toBeGreaterThan(0);
      standIn.fail(undefined);

      const aborted = standIn.abortedStreams();
      const answering = engine.stream('ask', { question: QUESTION, maxTokens: 400 });
      const events: AskEvent[] = [];
      for await (const event of answering) {
        events.push(event);
        if (event.type === 'token') answering.cancel();
      }
      const answer = await answering.result;
      expect(answer.stopReason).toBe('aborted');
      expect(answer.answer.length).toBeGreaterThan(0);
      expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'stopped', writtenOn: standIn.host });
      await standIn.waitForAbortedStreams(aborted + 1);
    } finally {
      standIn.fail(undefined);
      await engine.dispose();
    }
  });
});

/** Every file of a data dir as one text (the index excepted: fiches only), to look for what must not be there. */
async function readAll(dir: string, skip: string[] = []): Promise<string> {
  const texts: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const relative = path.slice(dir.length + 1);
    if (relative.startsWith('index') || skip.some((s) => relative.startsWith(s))) continue;
    texts.push(await readFile(path, 'utf8'));
  }
  return texts.join('\n');
}

describe('the other commands on a shared model server', () => {
  it('models list shows the server’s models, models test --remote writes there, reply --remote says where', async () => {
    const keyFile = join(await tempDir('guichet-key-'), 'cle.txt');
    await writeFile(keyFile, KEY);
    const policy = await policyFile(allowing({ 'remote.apiKeyFile': keyFile, 'runtime.remote.url': standIn.url }));
    const dataDir = await tempDir('guichet-remote-cmds-');
    const listed = await guichet(policy, ['--data-dir', dataDir, 'models', 'list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`Serveur partagé ${standIn.host} (${standIn.url}) :`);
    expect(listed.stdout).toMatch(/stories260K — contexte 2\s048 jetons/);
    const tested = await guichet(policy, ['--data-dir', dataDir, '--json', 'models', 'test', '--remote', standIn.url]);
    expect(tested.code, tested.stderr).toBe(0);
    const test = JSON.parse(tested.stdout) as { loaded: { remote: { host: string } }; text: string };
    expect(test.loaded.remote.host).toBe(standIn.host);
    expect(test.text.length).toBeGreaterThan(0);
    const testimony = join(dataDir, 'temoignage.txt');
    await writeFile(testimony, `J'attends ma carte d'identité depuis trois mois, mon IBAN est ${IBAN}.`);
    const replied = await guichet(policy, ['--data-dir', dataDir, 'reply', '--file', testimony, '--institution', 'Mairie de Figeac']);
    expect(replied.code, replied.stderr).toBe(0);
    expect(replied.stdout).toContain(`Rédigé sur ${standIn.host}`);
    expect(chatBodies().at(-1)).not.toContain(IBAN);
    for (const out of [listed, tested, replied]) expect(`${out.stdout}${out.stderr}`).not.toContain(KEY);
  });

  it('--remote-model picks the server’s model; an unknown one, one without a server, or one against policy is refused', async () => {
    const keyFile = join(await tempDir('guichet-key-'), 'cle.txt');
    await writeFile(keyFile, KEY);
    const dataDir = await tempDir('guichet-remote-model-');
    const open = await policyFile(allowing({ 'remote.apiKeyFile': keyFile }));
    const testimony = join(dataDir, 'temoignage.txt');
    await writeFile(testimony, "Je n'ai toujours pas reçu ma carte d'identité.");
    const replied = await guichet(open, ['--data-dir', dataDir, 'reply', '--file', testimony, '--remote', standIn.url, '--remote-model', standIn.model]);
    expect(replied.code, replied.stderr).toBe(0);
    expect(replied.stdout).toContain(`Rédigé sur ${standIn.host}`);
    expect(JSON.parse(chatBodies().at(-1) ?? '{}')).toMatchObject({ model: standIn.model });

    const unknown = await guichet(open, ['--data-dir', dataDir, 'models', 'test', '--remote', standIn.url, '--remote-model', 'mistral-small-24b']);
    expect(unknown.code).not.toBe(0);
    expect(`${unknown.stdout}${unknown.stderr}`).toContain(`Le serveur ${standIn.host} ne propose pas le modèle « mistral-small-24b » (modèles proposés : ${standIn.model})`);
    const noServer = await guichet(open, ['--data-dir', dataDir, 'reply', '--file', testimony, '--remote-model', standIn.model]);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('--remote-model demande un serveur partagé');

    const imposed = await policyFile(allowing({ 'remote.apiKeyFile': keyFile, 'runtime.remote.url': standIn.url, 'runtime.remote.model': standIn.model }));
    const against = await guichet(imposed, ['--data-dir', dataDir, 'reply', '--file', testimony, '--remote-model', 'autre-modele']);
    expect(against.code).toBe(2);
    expect(against.stderr).toContain('le modèle du serveur est fixé par la politique du poste (runtime.remote.model)');
    const sent = chatBodies().length;
    const same = await guichet(imposed, ['--data-dir', dataDir, 'reply', '--file', testimony, '--remote-model', standIn.model]);
    expect(same.code, same.stderr).toBe(0);
    expect(chatBodies().length).toBeGreaterThan(sent);
  });
});
