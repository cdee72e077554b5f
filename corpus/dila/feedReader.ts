/**
 * Reads the files of a DILA « Vos droits et démarches » feed, from the official zip (`vosdroits-latest.zip`) or from
 * a folder where it was unzipped. Only the publication files are read (`F*.xml`, `N*.xml`, `R*.xml`); anything
 * else in the archive (schemas, menus, images) is skipped.
 */
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { CorpusError } from '../corpusError.js';

/** One publication file of the feed. */
export interface FeedEntry {
  /** Its path inside the zip or the folder, e.g. `F1342.xml`. */
  name: string;
  /** Its content, decoded as UTF-8 (the feed's encoding), BOM removed. */
  xml: string;
}

/** Options of {@link readFeed}. */
export interface FeedReadOptions {
  /** Stops the reading between two files; the iterator then throws `CorpusError` `import-cancelled`. */
  signal?: AbortSignal;
  /**
   * Called with `(0, total)` once the list of publication files is known, then after each file with the number of
   * files read so far. `total` counts only publication files.
   */
  onProgress?: (done: number, total: number) => void;
}

/** Whether a file of the feed is a publication or resource (`F1342.xml`, `N358.xml`, `R45668.xml`). */
export function isPublicationFileName(name: string): boolean {
  return /^[FNR]\d+\.xml$/i.test(basename(name));
}

/** Fiches and dossiers: a feed without any is not a feed (resources alone are useless). */
function isFicheFileName(name: string): boolean {
  return /^[FN]\d+\.xml$/i.test(basename(name));
}

/**
 * Iterates over the publication files of a feed, one at a time (memory stays flat), in the archive's order or, for
 * a folder, by name. CRC-32 of each zip entry is checked (yauzl itself does not).
 *
 * @param path A `.zip` file or a folder of XML files.
 * @throws CorpusError, when iterating: `feed-not-found` (no such path), `feed-not-zip` (a file that is not a zip),
 *   `feed-truncated` (a zip cut short or damaged), `feed-empty` (no fiche in it), `import-cancelled` (signal).
 */
export async function* readFeed(path: string, options: FeedReadOptions = {}): AsyncGenerator<FeedEntry> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (cause) {
    throw new CorpusError('feed-not-found', `Le flux de fiches ${path} est introuvable.`, { file: path, cause });
  }
  if (isDirectory) yield* readFolder(path, options);
  else yield* readZip(path, options);
}

async function* readFolder(path: string, options: FeedReadOptions): AsyncGenerator<FeedEntry> {
  const names = (await readdir(path)).filter(isPublicationFileName).sort();
  if (!names.some(isFicheFileName)) {
    throw new CorpusError('feed-empty', `Le dossier ${path} ne contient aucune fiche (fichiers F…xml ou N…xml).`, { file: path });
  }
  options.onProgress?.(0, names.length);
  const ahead = new ReadAhead(names.map((name) => () => readFile(join(path, name))));
  for (const [i, name] of names.entries()) {
    throwIfAborted(options.signal);
    yield { name, xml: decode(await ahead.next()) };
    options.onProgress?.(i + 1, names.length);
  }
}

async function* readZip(path: string, options: FeedReadOptions): AsyncGenerator<FeedEntry> {
  const zip = await openZip(path);
  try {
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) {
        if (!entry.fileName.endsWith('/') && isPublicationFileName(entry.fileName)) entries.push(entry);
      }
    } catch (cause) {
      throw damaged(path, cause);
    }
    if (!entries.some((e) => isFicheFileName(e.fileName))) {
      throw new CorpusError('feed-empty', `L'archive ${path} ne contient aucune fiche (fichiers F…xml ou N…xml).`, { file: path });
    }
    options.onProgress?.(0, entries.length);
    const ahead = new ReadAhead(entries.map((entry) => () => readEntry(zip, entry, path)));
    for (const [i, entry] of entries.entries()) {
      throwIfAborted(options.signal);
      yield { name: entry.fileName, xml: decode(await ahead.next()) };
      options.onProgress?.(i + 1, entries.length);
    }
  } finally {
    zip.close();
  }
}

/** How many files are read and inflated in the background while the consumer parses the current one. */
const READ_AHEAD = 8;

/**
 * Runs a fixed sequence of reads a few steps ahead of the consumer, in order: the reads and zlib work happen on
 * libuv's thread pool while the main thread parses XML, which hides most of the I/O time.
 */
export class ReadAhead<T> {
  private readonly pending: Promise<T>[] = [];
  private started = 0;

  constructor(private readonly reads: (() => Promise<T>)[]) {}

  next(): Promise<T> {
    while (this.pending.length < READ_AHEAD && this.started < this.reads.length) {
      const read = (this.reads[this.started] as () => Promise<T>)();
      // A read still waiting when the consumer stops (error, break) must not become an unhandled rejection.
      read.catch(() => undefined);
      this.pending.push(read);
      this.started += 1;
    }
    const head = this.pending.shift();
    return head ?? Promise.reject(new Error('ReadAhead: no more reads'));
  }
}

/** Opens the zip, telling a file that is no zip at all from a zip whose end (the central directory) is missing. */
async function openZip(path: string): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (cause) {
    if (await startsLikeZip(path)) throw damaged(path, cause);
    throw new CorpusError('feed-not-zip', `Le fichier ${path} n'est pas une archive zip de fiches DILA.`, { file: path, cause });
  }
}

/** A zip starts with a local file header (`PK\x03\x04`), or with the end record when it is empty. */
async function startsLikeZip(path: string): Promise<boolean> {
  const handle = await openFile(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
  } finally {
    await handle.close();
  }
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, path: string): Promise<Buffer> {
  let data: Buffer;
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    data = Buffer.concat(chunks);
  } catch (cause) {
    throw damaged(path, cause, entry.fileName);
  }
  // `>>> 0`: zlib returns an unsigned value already, the header field is read unsigned too; keep both comparable.
  if (crc32(data) >>> 0 !== entry.crc32 >>> 0) {
    throw damaged(path, new Error(`CRC-32 mismatch for ${entry.fileName}`), entry.fileName);
  }
  return data;
}

function damaged(path: string, cause: unknown, entryName?: string): CorpusError {
  const where = entryName === undefined ? '' : ` (fichier ${entryName})`;
  return new CorpusError(
    'feed-truncated',
    `L'archive ${path} est incomplète ou endommagée${where} : téléchargez-la à nouveau.`,
    { file: path, cause },
  );
}

function decode(data: Buffer): string {
  const text = data.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw new CorpusError('import-cancelled', 'Import des fiches annulé.', { cause: signal.reason });
  }
}
