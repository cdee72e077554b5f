import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../support/feedServer.js';
import { DILA_FEEDS, sharedDir, sharedFile } from '../support/sharedData.js';
import { CLI_CHILD_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * `guichet corpus pack` as IT runs it on a connected PC (the DILA feeds served on 127.0.0.1 like
 * lecomarquage.service-public.fr, or the zips of ../shared), then the pack named in a fresh PC's policy
 * (`corpus.packPath`): imported at the first run, checked against its manifest, searchable.
 */
const GUICHET = join(import.meta.dirname, '../support/guichet-test-cli.js');
const run = promisify(execFile);
let work: string;
let server: Awaited<ReturnType<typeof startFeedServer>>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-corpus-pack-'));
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function policyFile(name: string, policy: Record<string, unknown>): Promise<string> {
  const path = join(work, `${name}-policy.json`);
  await writeFile(path, JSON.stringify(policy));
  return path;
}

async function guichet(name: string, policy: Record<string, unknown>, ...args: string[]) {
  const { stdout, stderr } = await run(process.execPath, [GUICHET, '--politique', await policyFile(name, policy), '--data-dir', join(work, name), ...args], { timeout: CLI_CHILD_TIMEOUT_MS });
  return { stdout, stderr };
}

/** Every file of a folder with its SHA-256: two packs are the same when these are. */
async function fingerprint(folder: string): Promise<Record<string, string>> {
  const files = (await readdir(folder)).sort();
  return Object.fromEntries(await Promise.all(files.map(async (file) => [file, createHash('sha256').update(await readFile(join(folder, file))).digest('hex')])));
}

/** A first run on the pack: the associations feed (~109 fiches) and the embedded labour fiches, three times slower when busy. */
const PACK_RUN_TIMEOUT_MS = 400_000;

describe('guichet corpus pack', () => {
  it('builds the same pack twice from the feeds online, and a fresh PC whose policy names it searches its fiches', async () => {
    const policy = { 'corpus.feedBaseUrl': server.baseUrl, 'corpus.audiences': ['associations'] };
    const first = join(work, 'paquets', 'asso');
    const built = JSON.parse((await guichet('it', policy, '--json', 'corpus', 'pack', '--sortie', first)).stdout);
    expect(server.requests).toContain('/vdd/3.3/asso/zip/vosdroits-latest.zip');
    expect(built.manifest).toMatchObject({
      format: 'guichet-corpus-pack',
      newestFicheDate: '2020-11-05',
      feeds: [{ file: 'vosdroits-asso.zip', audiences: ['associations'], origin: `${server.baseUrl}/asso/zip/vosdroits-latest.zip`, newestFicheDate: '2020-11-05' }],
    });
    const files = await fingerprint(first);
    expect(Object.keys(files)).toEqual(['SHA256SUMS', 'manifeste.json', 'vosdroits-asso.zip']);
    // The feed is copied byte for byte, and SHA256SUMS says so in sha256sum's format.
    const published = createHash('sha256').update(await readFile(sharedFile(DILA_FEEDS.associations))).digest('hex');
    expect(files['vosdroits-asso.zip']).toBe(published);
    expect(await readFile(join(first, 'SHA256SUMS'), 'utf8')).toBe(`${published}  vosdroits-asso.zip\n`);
    expect(built.manifest.sha256).toBe(files.SHA256SUMS);

    // Deterministic: built again elsewhere, the same bytes.
    const second = join(work, 'paquets', 'asso-bis');
    await guichet('it', policy, '--json', 'corpus', 'pack', '--sortie', second);
    expect(await fingerprint(second)).toEqual(files);

    // A PC with no network: the policy names the pack, the first run imports it and nothing else is fetched.
    const requests = server.requests.length;
    const pcPolicy = { 'corpus.packPath': first, 'corpus.feedBaseUrl': server.baseUrl, 'network.allowDownloads': false };
    const prepared = JSON.parse((await guichet('pc', pcPolicy, '--json', 'prepare')).stdout);
    expect(prepared.firstRun.notices).toEqual([expect.stringMatching(/paquet fourni par le service informatique : .*asso \(fiches mises à jour jusqu'au 5 novembre 2020\)/)]);
    expect(prepared.info.manifest.sources.map((s: { source: string; audiences: string[] }) => `${s.source} ${s.audiences.join('/')}`)).toEqual(['dila associations', 'travail-emploi particuliers']);
    const hits = JSON.parse((await guichet('pc', pcPolicy, '--json', 'search', 'déclarer la création d’une association en préfecture', '--audience', 'associations')).stdout);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ audience: 'associations', date: expect.stringMatching(/^20/) });
    expect(server.requests.length).toBe(requests);
  }, PACK_RUN_TIMEOUT_MS);

  it('refuses an altered copy before importing anything, and says so in French', async () => {
    const source = join(work, 'paquets', 'pro');
    await guichet('it', {}, 'corpus', 'pack', '--from', sharedFile(DILA_FEEDS.professionnels), '--sortie', source);
    const altered = join(work, 'paquets', 'pro-altere');
    await cp(source, altered, { recursive: true });
    const zip = await readFile(join(altered, 'vosdroits-pro.zip'));
    zip[zip.length - 30] = (zip[zip.length - 30] ?? 0) ^ 0xff; // same size, one byte changed
    await writeFile(join(altered, 'vosdroits-pro.zip'), zip);
    const failed = guichet('pc-altere', { 'corpus.packPath': altered }, 'prepare');
    await expect(failed).rejects.toMatchObject({ stderr: expect.stringMatching(/paquet de corpus .*pro-altere est inutilisable : vosdroits-pro\.zip ne correspond pas à son empreinte SHA-256.*Recopiez-le/s) });
    const info = JSON.parse((await guichet('pc-altere', { 'corpus.packPath': altered, 'corpus.autoFetch': false }, '--json', 'corpus', 'info')).stdout);
    expect(info).toBeNull();
  }, PACK_RUN_TIMEOUT_MS);

  it('leaves nothing half-written on Ctrl-C: the earlier pack stays as it was, no temporary folder remains', async () => {
    const target = join(work, 'paquets', 'interrompu');
    await guichet('it', {}, 'corpus', 'pack', '--from', sharedFile(DILA_FEEDS.associations), '--sortie', target);
    const before = await fingerprint(target);
    const child = spawn(process.execPath, [GUICHET, '--politique', await policyFile('ctrl-c', {}), '--data-dir', join(work, 'ctrl-c'), 'corpus', 'pack', '--from', sharedDir('corpus/dila'), '--sortie', target, '--remplacer'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise<void>((started) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/Paquet : /.test(stderr)) started();
      });
    });
    // As a terminal sends it: to the whole process group, the engine child included.
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('Opération annulée.');
    expect(await fingerprint(target)).toEqual(before);
    expect((await readdir(join(work, 'paquets'))).filter((name) => name.startsWith('interrompu.'))).toEqual([]);
  }, PACK_RUN_TIMEOUT_MS);

  it('never writes into a folder that is not a pack, nor over a pack without --remplacer', async () => {
    const folder = join(work, 'documents');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'note.txt'), 'à garder');
    await expect(guichet('it', {}, 'corpus', 'pack', '--from', sharedFile(DILA_FEEDS.associations), '--sortie', folder, '--remplacer')).rejects.toMatchObject({
      stderr: expect.stringMatching(/n'est pas un paquet de corpus : Guichet n'y écrit pas/),
    });
    expect(await readdir(folder)).toEqual(['note.txt']);
    const pack = join(work, 'paquets', 'asso');
    await expect(guichet('it', {}, 'corpus', 'pack', '--from', sharedFile(DILA_FEEDS.associations), '--sortie', pack)).rejects.toMatchObject({
      stderr: expect.stringMatching(/existe déjà .* ajoutez --remplacer/),
    });
    await expect(guichet('it', {}, 'corpus', 'pack', '--from', 'embarque', '--sortie', join(work, 'paquets', 'embarque'))).rejects.toMatchObject({
      stderr: expect.stringMatching(/fiches embarquées, déjà livrées/),
    });
  }, PACK_RUN_TIMEOUT_MS);
});
