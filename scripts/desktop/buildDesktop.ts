/**
 * Builds what the desktop app runs, into dist/: the sources compiled file by file (dist/node/, as the `guichet`
 * command runs them: main process, engine, server), the preload bundled into one CommonJS file (a sandboxed preload
 * can only `require('electron')`), and the renderer (vite). `npm run build:desktop`; electron-builder packs the result.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../projectRoot.js';

const PROJECT_ROOT = projectRoot().path;

export const DESKTOP_OUT = join(PROJECT_ROOT, 'dist', 'desktop');

/** The preload: the contract's method table and the bridge, `electron` left to the runtime. */
export async function buildPreload(): Promise<string> {
  const outfile = join(DESKTOP_OUT, 'preload.cjs');
  await build({
    entryPoints: [join(PROJECT_ROOT, 'electron', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'error',
  });
  return outfile;
}

export async function buildDesktop(): Promise<void> {
  // The compiled tree (dist/node) is what the CLI builds on first run: the same function, so the two never differ.
  const { compiled } = (await import(join(PROJECT_ROOT, 'scripts', 'bin', 'compiled.js'))) as { compiled(source: string): Promise<string> };
  await compiled(join(PROJECT_ROOT, 'electron', 'main.ts'));
  await buildPreload();
  execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await buildDesktop();
