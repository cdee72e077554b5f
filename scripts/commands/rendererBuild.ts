import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../projectRoot.js';

const ROOT = projectRoot().path;
/** Where `npm run build:renderer` writes the renderer, and where `guichet serve` reads it. */
export const RENDERER_DIR = join(ROOT, 'dist/renderer');
/** What the bundle is built from: the renderer, and the browser-safe contract layer it loads. */
const SOURCES = ['renderer', 'vite.renderer.config.ts', 'assistant/contract', 'assistant/api.ts', 'corpus/fiche.ts', 'corpus/corpusError.ts', 'native-models/modelError.ts', 'remote-models/remoteModelError.ts', 'package-lock.json'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Whether the built renderer is missing or older than one of its sources. */
export function rendererIsStale(): boolean {
  const built = join(RENDERER_DIR, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(ROOT, source)) > builtAt);
}

/**
 * Builds the renderer when it is missing or stale (after `npm ci`, or an update of the sources), with vite, which
 * `npm ci` installs. Says so in French on `say`; returns the folder to serve.
 */
export async function ensureRenderer(say: (line: string) => void): Promise<string> {
  if (!rendererIsStale()) return RENDERER_DIR;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  if (!existsSync(vite)) throw new Error("L'interface n'est pas construite et vite est absent : lancez « npm ci » (sans --omit=dev) puis relancez Guichet.");
  const started = Date.now();
  say("Préparation de l'interface (au premier lancement ou après une mise à jour, moins d'une minute)…");
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(ROOT, 'vite.renderer.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`La construction de l'interface a échoué (vite, code ${code}) :\n${output.join('').slice(-4000)}`);
  say(`Interface prête (${((Date.now() - started) / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s).`);
  return RENDERER_DIR;
}
