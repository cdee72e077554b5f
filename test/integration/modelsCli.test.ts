/**
 * `guichet models …` as IT runs it: a real child process, a fresh data dir, a local HTTP server standing in for
 * Hugging Face or an intranet mirror (loopback only: the tests never reach the network).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomGguf } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';
import { CLI_CHILD_TIMEOUT_MS, DEVICE_TIMEOUT_MS, DEVICE_WARM_UP_TIMEOUT_MS } from '../support/timeouts.js';
import { warmUpVulkan } from '../support/vulkanWarmUp.js';

const STORIES = sharedFile('models/stories260K.gguf');
const STORIES_SHA256 = '270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d';
const BIN = fileURLToPath(new URL('../support/guichet-test-cli.js', import.meta.url));

let dir: string;
/** A fresh data dir for each test: none relies on what another one installed. */
let dataDir: string;
let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-models-cli-'));
  const bytes = await readFile(STORIES);
  const cut = new Set<string>();
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range) {
      const from = Number(range[1]);
      response.writeHead(206, { 'content-length': bytes.length - from, 'content-range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` });
      response.end(bytes.subarray(from));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, 'accept-ranges': 'bytes' });
    if (request.url?.startsWith('/coupe/') && !cut.has(request.url)) {
      // The connection breaks half-way, once per URL: the download must resume from there.
      cut.add(request.url);
      response.write(bytes.subarray(0, bytes.length / 2), () => response.destroy());
      return;
    }
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(dir, 'data-'));
});
// The Vulkan tests below find Mesa's shader cache warm.
beforeAll(() => warmUpVulkan(), DEVICE_WARM_UP_TIMEOUT_MS);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, unknown> & { error?: { code: string; message: string } };
}

function guichet(args: string[], options: { env?: NodeJS.ProcessEnv; timeout?: number; policy?: string; dataDir?: string } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, '--politique', options.policy ?? join(dir, 'pas-de-politique.json'), '--data-dir', options.dataDir ?? dataDir, ...args],
      { env: { ...process.env, ...options.env }, timeout: options.timeout ?? CLI_CHILD_TIMEOUT_MS },
      (error, stdout, stderr) => {
        let json = {};
        try {
          json = JSON.parse(stdout) as object;
        } catch {
          // human output
        }
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, json: json as Outcome['json'] });
      },
    );
  });
}

describe('guichet models', () => {
  it('add: registers a local GGUF after reading its metadata', async () => {
    const { code, json } = await guichet(['--json', 'models', 'add', STORIES]);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      model: { id: 'stories260k', source: 'added', architecture: 'llama', quantization: 'F32', trainContext: 2048, hasChatTemplate: false },
      fit: { verdict: 'ok' },
    });
    const human = await guichet(['models', 'info', 'stories260k']);
    expect(human.stdout).toContain('architecture : llama, quantification : F32');
    expect(human.stdout).toContain('modèle de conversation (chat template) : absent');
  });

  it('add: a damaged file is a French error and exit code 1', async () => {
    const { code, stderr } = await guichet(['models', 'add', await randomGguf(join(dir, 'aleatoire.gguf'))]);
    expect(code).toBe(1);
    expect(stderr).toContain("Erreur : aleatoire.gguf n'est pas un modèle GGUF");
  });

  it('list: the catalog with RAM needs and a fit verdict for this PC, and the installed models', async () => {
    expect((await guichet(['models', 'add', STORIES])).code).toBe(0);
    const { code, json, stdout } = await guichet(['--json', 'models', 'list']);
    expect(code).toBe(0);
    const catalog = json.catalog as { id: string; ramAt4kBytes: number; ramAt8kBytes: number; fit: { verdict: string }; licence: string }[];
    expect(catalog.map((model) => model.id)).toEqual(expect.arrayContaining(['lucie-7b', 'mistral-7b']));
    for (const model of catalog) {
      expect(model.ramAt8kBytes).toBeGreaterThan(model.ramAt4kBytes);
      expect(['ok', 'limited', 'too-large']).toContain(model.fit.verdict);
    }
    expect((json.installed as { id: string }[]).map((model) => model.id)).toEqual(['stories260k']);
    expect(stdout).not.toContain('undefined');
    expect((await guichet(['models', 'list'])).stdout).toMatch(/Catalogue :\n {2}lucie-7b .* RAM 4k : [\d,]+ Gio, 8k : [\d,]+ Gio/);
  });

  it('pull: downloads a URL with its checksum into the data dir and registers it', async () => {
    const { code, json } = await guichet(['--json', 'models', 'pull', `${base}/modeles/stories260K.gguf`, '--sha256', STORIES_SHA256]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ model: { id: 'stories260k', source: 'pulled', sha256: STORIES_SHA256 }, download: { bytes: 1_185_376 } });
    await expect(stat(join(dataDir, 'models', 'stories260K.gguf'))).resolves.toMatchObject({ size: 1_185_376 });
  });

  it('pull: a transfer cut half-way resumes where it stopped', async () => {
    const { code, json } = await guichet(['--json', 'models', 'pull', `${base}/coupe/reprise.gguf`, '--sha256', STORIES_SHA256]);
    expect(code).toBe(0);
    expect(json).toMatchObject({ model: { id: 'reprise', source: 'pulled' }, download: { resumed: true, sha256: STORIES_SHA256 } });
    expect((await guichet(['--json', 'models', 'remove', 'reprise'])).json).toMatchObject({ deletedFile: true });
  });

  it('pull: a wrong checksum deletes the file', async () => {
    const { code, json } = await guichet(['--json', 'models', 'pull', `${base}/autre/copie.gguf`, '--sha256', 'ab'.repeat(32)]);
    expect(code).toBe(1);
    expect(json.error?.code).toBe('checksum-mismatch');
    await expect(stat(join(dataDir, 'models', 'copie.gguf'))).rejects.toThrow();
  });

  it('pull from a mirror: the catalog path is used, and a file that is not the expected model is refused', async () => {
    const { code, json } = await guichet(['--json', 'models', 'pull', 'lucie-7b', '--miroir', base]);
    expect(requests).toContain('/mradermacher/Lucie-7B-Instruct-v1.1-GGUF/resolve/main/Lucie-7B-Instruct-v1.1.Q4_K_M.gguf');
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'checksum-mismatch', message: expect.stringContaining("n'est pas le modèle Lucie 7B") });
    await expect(stat(join(dataDir, 'models', 'Lucie-7B-Instruct-v1.1.Q4_K_M.gguf'))).rejects.toThrow();
  });

  it('pull offline: a clear message and how to install the file by hand', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await guichet(['models', 'pull', 'mistral-7b', '--miroir', `http://127.0.0.1:${port}`]);
    expect(code).toBe(1);
    expect(stderr).toContain('Erreur : Impossible de joindre');
    expect(stderr).toContain("Pour l'installer à la main");
    expect(stderr).toContain('Mistral-7B-Instruct-v0.3-Q4_K_M.gguf');
    expect(stderr).toContain('guichet models add');
  });

  it('pull when downloads are turned off: refused, with the manual way', async () => {
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ 'network.allowDownloads': false }));
    const { code, json } = await guichet(['--json', 'models', 'pull', 'qwen2.5-3b']);
    expect(code).toBe(1);
    expect(json.error).toMatchObject({ code: 'download-forbidden', message: expect.stringContaining('network.allowDownloads') });
  });

  it('remove: a downloaded file is deleted, an added file stays where it is', async () => {
    expect((await guichet(['--json', 'models', 'add', STORIES])).json).toMatchObject({ model: { id: 'stories260k' } });
    // The same model pulled as well: a second id, its own file in the data dir.
    const pull = await guichet(['--json', 'models', 'pull', `${base}/modeles/stories260K.gguf`, '--sha256', STORIES_SHA256]);
    expect(pull.json).toMatchObject({ model: { id: 'stories260k-2', source: 'pulled' } });
    const pulled = await guichet(['--json', 'models', 'remove', 'stories260k-2']);
    expect(pulled.json).toMatchObject({ deletedFile: true });
    await expect(stat(join(dataDir, 'models', 'stories260K.gguf'))).rejects.toThrow();
    const added = await guichet(['models', 'rm', 'stories260k']);
    expect(added.stdout).toContain('fichier conservé');
    await expect(stat(STORIES)).resolves.toMatchObject({ size: 1_185_376 });
    expect((await guichet(['--json', 'models', 'remove', 'stories260k'])).json.error?.code).toBe('model-not-found');
  });

  it('test: loads the model in the engine process and answers, saying which device and threads', async () => {
    const { code, stdout } = await guichet(['models', 'test', STORIES], { env: { GUICHET_THREADS: '1' } });
    expect(code).toBe(0);
    expect(stdout).toContain('Périphérique : Processeur : aucun GPU compatible détecté.');
    expect(stdout).toContain('Threads : 1 thread (réglage).');
    expect(stdout).toMatch(/Vitesse : [\d,\s\u202f]+ jetons\/s/);
  });

  // Real Vulkan (lavapipe), the shader cache warmed by the hook above.
  const vulkan = { env: { GUICHET_THREADS: '1', GGML_VK_VISIBLE_DEVICES: '0' }, timeout: DEVICE_TIMEOUT_MS - 10_000 };

  it('test --gpu vulkan: the device tried and the layers on it (real Vulkan, lavapipe)', { timeout: DEVICE_TIMEOUT_MS }, async () => {
    const tried = await guichet(['models', 'test', STORIES, '--gpu', 'vulkan'], vulkan);
    expect(tried.code).toBe(0);
    expect(tried.stdout).toMatch(/Périphérique : GPU Vulkan \(llvmpipe/);
    expect(tried.stdout).toContain('Couches sur le GPU : 6 sur 6');
    expect((await guichet(['models', 'info', STORIES], vulkan)).stdout).toContain('périphérique : pas encore mesuré');
  });

  it('test --gpu auto / --remesurer and info: measured once, remembered, measured again on demand (real Vulkan, lavapipe)', { timeout: DEVICE_TIMEOUT_MS }, async () => {
    const auto = await guichet(['models', 'test', STORIES, '--gpu', 'auto'], vulkan);
    expect(auto.code).toBe(0);
    expect(auto.stderr).toContain('Mesure de la vitesse sur le GPU (vulkan)…');
    // Which device wins is the machine's business (lavapipe is usually far slower): what is shown is what is kept.
    const chosen = /Périphérique : Processeur : mesuré au moins aussi rapide que le GPU Vulkan/.test(auto.stdout) ? 'cpu' : 'vulkan';
    if (chosen === 'vulkan') expect(auto.stdout).toMatch(/Périphérique : GPU Vulkan \(llvmpipe.*mesuré/);
    const info = await guichet(['models', 'info', STORIES], vulkan);
    expect(info.stdout).toMatch(new RegExp(`périphérique mémorisé : ${chosen}, mesuré le [\\d/]+ \\(cpu — rédaction \\d[\\d\u202f]*,\\d jetons/s, lecture \\d[\\d\u202f]* jetons/s ; vulkan — `));

    expect((await guichet(['models', 'test', STORIES, '--gpu', 'auto'], vulkan)).stderr).not.toContain('Mesure de la vitesse');
    expect((await guichet(['models', 'test', STORIES, '--remesurer'], vulkan)).stderr).toContain('Mesure de la vitesse sur le processeur…');
  });

  it('test --gpu with an unknown device: a usage error, exit code 2, in French', async () => {
    const usage = await guichet(['models', 'test', STORIES, '--gpu', 'tpu']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("erreur : valeur « tpu » invalide pour l'option « --gpu <périphérique> ». Valeurs possibles : auto, cpu, vulkan, cuda, metal.");
    // Six commands, each starting an engine; the first Vulkan pass compiles shaders (20–25 s on a cold cache).
  }, 240_000);

  it("discovers the models in the folder machine policy names; they cannot be removed here", async () => {
    const itFolder = join(dir, 'modeles-dsi');
    await mkdir(itFolder, { recursive: true });
    await copyFile(STORIES, join(itFolder, 'conte.gguf'));
    const policy = join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ 'runtime.modelsDir': itFolder }));
    const { json } = await guichet(['--json', 'models', 'list'], { policy });
    expect(json.installed).toEqual([expect.objectContaining({ id: 'conte', source: 'policy', path: join(itFolder, 'conte.gguf') })]);
    const refused = await guichet(['models', 'remove', 'conte'], { policy });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('installé par votre service informatique');
  });

  it('the checksum of the shared test model is the published one (the fixture is what we think it is)', async () => {
    expect(createHash('sha256').update(await readFile(STORIES)).digest('hex')).toBe(STORIES_SHA256);
  });
});
