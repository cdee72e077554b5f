import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's folder (where its package.json is), whether this code runs from the sources or compiled into
 * dist/node/: found by walking up from here, not by a fixed number of `..`.
 */
export function projectRoot(): { path: string; version: string } {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const data = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (data.name === 'guichet') return { path: folder, version: data.version ?? '0.0.0' };
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json de Guichet introuvable au-dessus de ' + fileURLToPath(import.meta.url));
    folder = parent;
  }
}
