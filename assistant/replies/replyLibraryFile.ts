/** The reply library on disk: one JSON file, replaced atomically, a damaged file set aside rather than lost. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { syncDirectory } from '../history/jsonlFile.js';
import { libraryFileSchema, toEntry, type ReplyEntry, type ReplyLibraryFile } from './replyEntry.js';

/** What was read: the entries, and a French warning when the file was damaged and set aside. */
export interface LibraryRead {
  entries: ReplyEntry[];
  warning?: string;
}

/**
 * Reads the library. Missing file: empty. Unreadable JSON or wrong shape: the file is renamed
 * `library.json.corrupt-<date>` (kept for IT, never overwritten by the next save) and the library starts empty, with a
 * warning the agent sees.
 */
export async function readLibraryFile(path: string, now: Date): Promise<LibraryRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
    throw error;
  }
  let problem: string;
  try {
    const parsed = libraryFileSchema.safeParse(JSON.parse(text) as unknown);
    if (parsed.success) return { entries: parsed.data.entries.map(toEntry) };
    problem = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(racine)'} : ${issue.message}`)
      .join(' ; ');
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  return {
    entries: [],
    warning:
      `La bibliothèque de réponses était illisible (${problem}) : elle a été mise de côté sous ` +
      `« ${basename(aside)} » et une bibliothèque vide a été ouverte.`,
  };
}

/**
 * Replaces the library file: written to a temporary file in the same folder, `fsync`ed, renamed over the old one,
 * and the folder synced, so that a crash or a power cut leaves the old library or the new one, never half of one.
 */
export async function writeLibraryFile(path: string, entries: readonly ReplyEntry[]): Promise<void> {
  const data: ReplyLibraryFile = { format: 'guichet-replies', version: 1, entries: [...entries] };
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(folder);
}
