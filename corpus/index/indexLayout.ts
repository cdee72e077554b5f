import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../corpusError.js';

/**
 * Where the index lives in the data dir, and how a new one replaces the old atomically.
 *
 * `<dataDir>/index/gen-<time>/` holds one complete generation (LanceDB tables, manifest, vocabulary).
 * `<dataDir>/index/CURRENT` names the live one. An import builds a new generation aside and only then rewrites
 * `CURRENT` by rename, so an import that fails or is killed half-way leaves the previous index live and intact.
 */
export class IndexLayout {
  readonly root: string;

  constructor(readonly dataDir: string) {
    this.root = join(dataDir, 'index');
  }

  /** The live generation's folder, or `undefined` when nothing was imported yet. */
  async currentGeneration(): Promise<string | undefined> {
    let name: string;
    try {
      name = (await readFile(join(this.root, 'CURRENT'), 'utf8')).trim();
    } catch {
      return undefined;
    }
    if (!/^gen-[\w-]+$/.test(name)) return undefined;
    const folder = join(this.root, name);
    try {
      await access(join(folder, 'manifest.json'));
      return folder;
    } catch {
      return undefined;
    }
  }

  /** Creates an empty folder for a generation being built. Fails with a French message if the data dir is read-only. */
  async createGeneration(): Promise<string> {
    const name = `gen-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
    const folder = join(this.root, name);
    try {
      await mkdir(folder, { recursive: true });
      await access(folder, constants.W_OK);
    } catch (cause) {
      throw new CorpusError('data-dir-unwritable', `Le dossier de données ${this.dataDir} n'est pas accessible en écriture.`, {
        cause,
        file: this.dataDir,
      });
    }
    return folder;
  }

  /** Makes `generation` the live index in one rename, then removes the older generations. */
  async promote(generation: string): Promise<void> {
    const pointer = join(this.root, 'CURRENT');
    const temp = `${pointer}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${generation.slice(this.root.length + 1)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, pointer);
    await this.removeStaleGenerations();
  }

  /** Removes every generation but the live one (failed or killed builds, replaced indexes). Best effort. */
  async removeStaleGenerations(keep: string[] = []): Promise<void> {
    const current = await this.currentGeneration();
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch {
      return;
    }
    for (const entry of entries) {
      const folder = join(this.root, entry);
      if (!entry.startsWith('gen-') || folder === current || keep.includes(folder)) continue;
      // A reader may still hold files open (Windows): leave it for the next import.
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * Takes the import lock, so that two imports never build at once. A lock left by a killed process is taken over.
   * Returns the function that releases it.
   */
  async lock(): Promise<() => Promise<void>> {
    await mkdir(this.root, { recursive: true }).catch((cause: unknown) => {
      throw new CorpusError('data-dir-unwritable', `Impossible de créer ${this.root} : dossier en lecture seule ?`, {
        cause,
        file: this.dataDir,
      });
    });
    const lockFile = join(this.root, 'import.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(lockFile, String(process.pid), { flag: 'wx' });
        return async () => rm(lockFile, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new CorpusError('data-dir-unwritable', `Le dossier de données ${this.dataDir} n'est pas accessible en écriture.`, {
            cause: error,
            file: this.dataDir,
          });
        }
        const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
        if (holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new CorpusError('index-busy', `Un import est déjà en cours (processus ${holder}). Réessayez quand il sera terminé.`);
        }
        await rm(lockFile, { force: true });
      }
    }
    throw new CorpusError('index-busy', "Impossible de prendre le verrou d'import de l'index.");
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
