// Guichet runs from compiled JavaScript: the TypeScript sources are transpiled once (esbuild, as tsx does, file by
// file, no bundling) into dist/node/, and again only when a source changed. The README's two commands stay the only
// set-up: the first run builds, later runs start in a fraction of a second.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'dist', 'node');
const FOLDERS = ['corpus', 'native-models', 'remote-models', 'assistant', 'electron', 'server', 'scripts'];

function sources(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Changes whenever a source file is added, removed or modified (path, size, modification time). */
function fingerprint(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * The compiled file of a source (`scripts/guichet.ts` → `dist/node/scripts/guichet.js`), built first when missing or
 * stale. Concurrent first runs each build aside and the first rename wins.
 */
export async function compiled(source) {
  const files = FOLDERS.flatMap((folder) => sources(join(ROOT, folder))).sort();
  const stamp = fingerprint(files);
  const stampFile = join(OUT, '.stamp');
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    const { build } = await import('esbuild');
    const aside = `${OUT}.${process.pid}.building`;
    rmSync(aside, { recursive: true, force: true });
    await build({ entryPoints: files, outdir: aside, outbase: ROOT, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'error' });
    writeFileSync(join(aside, '.stamp'), stamp);
    rmSync(OUT, { recursive: true, force: true });
    try {
      renameSync(aside, OUT);
    } catch {
      rmSync(aside, { recursive: true, force: true }); // another run renamed its build first: the same sources
    }
  }
  return join(OUT, relative(ROOT, source)).replace(/\.ts$/, '.js');
}

export const SCRIPTS = join(ROOT, 'scripts');

