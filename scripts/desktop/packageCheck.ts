/**
 * `npm run package:check`: what can be checked of the desktop packages offline. Builds the app (dist/), runs
 * `electron-builder --linux dir` with a stand-in Electron (no Electron binary can be had on these machines: the
 * stand-in is a placeholder executable, named so), checks linux-unpacked/ (asar contents, unpacked native modules,
 * excluded binaries, extra resources), then builds guichet_<version>_amd64.deb from it with Debian's dpkg-deb
 * (electron-builder's own deb target downloads fpm). test/integration/packageCheck.test.ts installs and removes it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { listPackage } from '@electron/asar';
import { buildCorpusPack } from '../../assistant/knowledge/corpusPack.js';
import { projectRoot } from '../projectRoot.js';
import { buildDesktop } from './buildDesktop.js';

const { path: ROOT, version: VERSION } = projectRoot();
const OUT = join(ROOT, 'dist', 'paquets');
export const STAND_IN = join(ROOT, 'dist', 'electron-stand-in');
export const UNPACKED = join(OUT, 'linux-unpacked');
export const DEB = join(OUT, `guichet_${VERSION}_amd64.deb`);
const SHARED_DILA = join(ROOT, '..', 'shared', 'corpus', 'dila');

const STAND_IN_LOCALES = ['de', 'en-GB', 'en-US', 'es', 'fr', 'it', 'nl'];

/** A placeholder for Electron's Linux distribution: the files electron-builder copies and renames, nothing that runs. */
export function makeElectronStandIn(): string {
  rmSync(STAND_IN, { recursive: true, force: true });
  mkdirSync(join(STAND_IN, 'resources'), { recursive: true });
  writeFileSync(join(STAND_IN, 'electron'), '#!/bin/sh\necho "Guichet : exécutable de remplacement (electron-stand-in), pas d’Electron sur cette machine de construction." >&2\nexit 1\n');
  chmodSync(join(STAND_IN, 'electron'), 0o755);
  writeFileSync(join(STAND_IN, 'LICENSE'), 'Stand-in for the Electron distribution (no binary). Electron is MIT licensed.\n');
  writeFileSync(join(STAND_IN, 'version'), '42.11.18');
  // Chromium's translations, as Electron ships them (placeholders): electronLanguages keeps French and English only.
  mkdirSync(join(STAND_IN, 'locales'));
  for (const locale of STAND_IN_LOCALES) writeFileSync(join(STAND_IN, 'locales', `${locale}.pak`), `stand-in ${locale}\n`);
  return STAND_IN;
}

/**
 * The corpus pack of the package, built by `guichet corpus pack`'s own code from the DILA zips of ../shared (a release
 * build uses the current feeds), so that the first run checks it against its manifest like any pack IT distributes.
 * Its files replace those of an earlier build in packaging/corpus/ (where LISEZMOI.md stays).
 */
async function stageCorpusPack(): Promise<string[]> {
  const target = join(ROOT, 'packaging', 'corpus');
  const zips = existsSync(SHARED_DILA) ? readdirSync(SHARED_DILA).filter((name) => name.endsWith('.zip')) : [];
  if (zips.length === 0) throw new Error(`Aucun flux DILA dans ${SHARED_DILA} : le paquet de corpus ne peut pas être préparé.`);
  const work = mkdtempSync(join(tmpdir(), 'guichet-paquet-corpus-'));
  try {
    const pack = join(work, 'paquet');
    await buildCorpusPack({ from: [SHARED_DILA], output: pack, audiences: [], dataDir: work, allowDownloads: false });
    for (const name of readdirSync(target)) if (name !== 'LISEZMOI.md') rmSync(join(target, name), { recursive: true, force: true });
    for (const name of readdirSync(pack)) cpSync(join(pack, name), join(target, name));
    return readdirSync(pack).sort();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** electron-builder's `dir` target, offline, with the stand-in. */
export function runElectronBuilder(): void {
  rmSync(UNPACKED, { recursive: true, force: true });
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${STAND_IN}`], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: 'true' },
  });
}

/** Size of a folder in bytes (files only, symlinks not followed). */
export function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** What linux-unpacked/ holds, for the checks. */
export interface UnpackedReport {
  asarFiles: string[];
  unpackedFiles: string[];
  resources: string[];
  /** Chromium's translations kept (`locales/*.pak`). */
  locales: string[];
  bytes: number;
}

export function inspectUnpacked(): UnpackedReport {
  const resources = join(UNPACKED, 'resources');
  const list = (folder: string): string[] =>
    readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
  return {
    asarFiles: listPackage(join(resources, 'app.asar'), { isPack: false }).map((path) => path.replace(/^[/\\]/, '')),
    unpackedFiles: existsSync(join(resources, 'app.asar.unpacked')) ? list(join(resources, 'app.asar.unpacked')) : [],
    resources: list(resources).filter((path) => !path.startsWith('app.asar')),
    locales: existsSync(join(UNPACKED, 'locales')) ? readdirSync(join(UNPACKED, 'locales')).sort() : [],
    bytes: folderBytes(UNPACKED),
  };
}

const CONTROL = (installedKiB: number) => `Package: guichet
Version: ${VERSION}
Architecture: amd64
Maintainer: Guichet <guichet@example.invalid>
Installed-Size: ${installedKiB}
Section: misc
Priority: optional
Depends: libgtk-3-0 | libgtk-3-0t64, libnss3, libxss1, libasound2 | libasound2t64, libgbm1
Homepage: https://github.com/guichet/guichet
Description: Assistant hors ligne pour les agents des services publics
 Répond aux questions des agents à partir des fiches de service-public.fr,
 sur le poste, sans réseau. Politique machine : /etc/guichet/policy.json.
`;

/** The .deb, built from linux-unpacked/ with dpkg-deb: /opt/Guichet, the desktop entry, /etc/guichet/. */
export function buildDeb(): string {
  const stage = join(OUT, 'deb-racine');
  rmSync(stage, { recursive: true, force: true });
  const opt = join(stage, 'opt', 'Guichet');
  mkdirSync(join(stage, 'DEBIAN'), { recursive: true });
  cpSync(UNPACKED, opt, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(stage, 'usr', 'share', 'applications'), { recursive: true });
  cpSync(join(ROOT, 'packaging', 'linux', 'guichet.desktop'), join(stage, 'usr', 'share', 'applications', 'guichet.desktop'));
  mkdirSync(join(stage, 'usr', 'bin'), { recursive: true });
  execFileSync('ln', ['-s', '/opt/Guichet/guichet', join(stage, 'usr', 'bin', 'guichet')]);
  const etc = join(stage, 'etc', 'guichet');
  mkdirSync(etc, { recursive: true });
  // The schema and an example beside where IT writes policy.json; the policy itself is IT's, never in the package.
  cpSync(join(ROOT, 'docs', 'policy.schema.json'), join(etc, 'policy.schema.json'));
  writeFileSync(join(etc, 'policy.exemple.json'), `${JSON.stringify({ $schema: './policy.schema.json', 'network.allowDownloads': false, 'features.corpusUpdate': false, 'history.retentionDays': 90 }, null, 2)}\n`);
  for (const script of ['postinst', 'prerm', 'postrm']) {
    cpSync(join(ROOT, 'packaging', 'linux', script), join(stage, 'DEBIAN', script));
    chmodSync(join(stage, 'DEBIAN', script), 0o755);
  }
  writeFileSync(join(stage, 'DEBIAN', 'control'), CONTROL(Math.ceil(folderBytes(stage) / 1024)));
  rmSync(DEB, { force: true });
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z1', '--build', stage, DEB], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(stage, { recursive: true, force: true });
  return DEB;
}

/** Everything but the installation: build, pack, inspect, .deb. */
export async function packageCheck(options: { build?: boolean } = {}): Promise<UnpackedReport & { deb: string; corpusPack: string[] }> {
  if (options.build !== false) await buildDesktop();
  makeElectronStandIn();
  const corpusPack = await stageCorpusPack();
  runElectronBuilder();
  const report = inspectUnpacked();
  return { ...report, deb: buildDeb(), corpusPack };
}

/**
 * Where the bytes of linux-unpacked/ go, biggest first: the asar, each package unpacked beside it, the extra
 * resources, and the rest (Electron; the stand-in's is nothing). What decides the package's size (docs/deploiement.md).
 */
export function sizeBreakdown(): [string, number][] {
  const resources = join(UNPACKED, 'resources');
  const parts = new Map<string, number>([['app.asar', statSync(join(resources, 'app.asar')).size]]);
  const modules = join(resources, 'app.asar.unpacked', 'node_modules');
  for (const name of existsSync(modules) ? readdirSync(modules) : []) {
    const packages = name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => `${name}/${sub}`) : [name];
    for (const pkg of packages) parts.set(`app.asar.unpacked/${pkg}`, folderBytes(join(modules, pkg)));
  }
  for (const entry of readdirSync(resources, { withFileTypes: true })) {
    if (entry.name.startsWith('app.asar')) continue;
    parts.set(entry.name, entry.isDirectory() ? folderBytes(join(resources, entry.name)) : statSync(join(resources, entry.name)).size);
  }
  const counted = [...parts.values()].reduce((sum, bytes) => sum + bytes, 0);
  parts.set('Electron (hors resources/)', folderBytes(UNPACKED) - folderBytes(resources));
  parts.set('autres fichiers de resources/', folderBytes(resources) - counted);
  return [...parts].sort((a, b) => b[1] - a[1]);
}

const MiB = (bytes: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 2 ** 20)} Mio`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const report = await packageCheck();
  console.log(`linux-unpacked : ${MiB(report.bytes)} (sans modèle, sans Electron : l’exécutable est un remplaçant) ; paquet ${basename(report.deb)} : ${MiB(statSync(report.deb).size)}.`);
  for (const [part, bytes] of sizeBreakdown()) console.log(`  ${MiB(bytes).padStart(10)}  ${part}`);
  console.log(`asar : ${report.asarFiles.length.toLocaleString('fr-FR')} fichiers ; hors asar : ${report.unpackedFiles.length.toLocaleString('fr-FR')} ; ressources : ${report.resources.join(', ')}.`);
}
