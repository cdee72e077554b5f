import { isSealed, type LineCipher } from './lineCipher.js';
import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Append-only JSON Lines files that survive a `kill -9` or a power cut: a record is committed once its line, newline
 * included, has been written and `fsync`ed. A line without its newline is the one that was being written when the
 * process died: readers ignore it and the next writer cuts it off, so what a reader shows is exactly what stays.
 */

const NEWLINE = 0x0a;
const TAIL_CHUNK = 64 * 1024;

/** What {@link readJsonl} found. */
export interface JsonlRead {
  /** Parsed values of the complete lines, in file order (unvalidated: the caller checks their shape). */
  records: unknown[];
  /** Lines sealed with a key this reader was not given (the desktop app's): skipped, and counted. */
  sealed: number;
  /** Complete lines that are not JSON (damaged block, foreign editor), or sealed with another key: skipped. */
  unparsable: number;
  /** Whether the file ends with a line without newline (a write cut short). */
  partialTail: boolean;
  /** Byte offset just past the last complete line: where the next read can resume. */
  committedBytes: number;
}

/**
 * Creates `path` with `line` as its only record; fails with `EEXIST` if the file exists. The parent directory is
 * synced too, so that the new file's name survives a power cut, not only its content.
 */
export async function createJsonl(path: string, record: unknown, cipher?: LineCipher): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await writeAll(handle, encodeLine(record, cipher));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await syncDirectory(dirname(path));
}

/**
 * Appends one record as one line and syncs it. Fails with `ENOENT` when the file does not exist, unless `create`:
 * a deleted conversation must stay deleted, not come back because a late answer was appended to it.
 */
export async function appendJsonl(path: string, record: unknown, options: { create?: boolean; cipher?: LineCipher } = {}): Promise<void> {
  const line = encodeLine(record, options.cipher);
  // O_APPEND: every write lands at the end even if another process appends too (a CLI next to the desktop app).
  const flags = constants.O_RDWR | constants.O_APPEND | (options.create ? constants.O_CREAT : 0);
  const handle = await open(path, flags, 0o600);
  let created = false;
  try {
    const size = (await handle.stat()).size;
    created = size === 0;
    await cutPartialTail(handle, size);
    await writeAll(handle, line);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created && options.create) await syncDirectory(dirname(path));
}

/** Reads the complete lines of `path` from byte `from` (a previous read's `committedBytes`). `ENOENT` passes through. */
export async function readJsonl(path: string, from = 0, cipher?: LineCipher): Promise<JsonlRead> {
  const bytes = from === 0 ? await readFile(path) : await readFrom(path, from);
  const records: unknown[] = [];
  let unparsable = 0;
  let sealed = 0;
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    const text = bytes.subarray(start, end).toString('utf8').trim();
    start = end + 1;
    if (text === '') continue;
    if (isSealed(text) && !cipher) {
      sealed += 1;
      continue;
    }
    try {
      records.push(JSON.parse(isSealed(text) ? cipher!.open(text) : text) as unknown);
    } catch {
      unparsable += 1;
    }
  }
  return { records, unparsable, sealed, partialTail: start < bytes.length, committedBytes: from + start };
}

function encodeLine(record: unknown, cipher?: LineCipher): Buffer {
  // JSON.stringify escapes newlines inside strings, and a sealed line is base64: one record never spans two lines.
  const json = JSON.stringify(record);
  return Buffer.from(`${cipher ? cipher.seal(json) : json}\n`, 'utf8');
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Cuts a torn last line off before appending: otherwise the new record would be glued to the fragment and both would
 * be unreadable. The fragment was never confirmed to anyone (its `fsync` had not returned), so nothing promised is lost.
 */
async function cutPartialTail(handle: FileHandle, size: number): Promise<void> {
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  if (last[0] === NEWLINE) return;
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK);
    const chunk = Buffer.alloc(end - start);
    await handle.read(chunk, 0, chunk.length, start);
    const newline = chunk.lastIndexOf(NEWLINE);
    if (newline !== -1) {
      await handle.truncate(start + newline + 1);
      return;
    }
    end = start;
  }
  await handle.truncate(0);
}

async function readFrom(path: string, from: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.max(0, size - from));
    if (buffer.length > 0) await handle.read(buffer, 0, buffer.length, from);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Makes a directory entry (a new or renamed file) durable. Windows cannot open directories: skipped there. */
export async function syncDirectory(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows: NTFS journals the metadata itself.
  } finally {
    await handle?.close();
  }
}
