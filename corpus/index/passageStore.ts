import { open, type FileHandle } from 'node:fs/promises';

/** What a shown passage needs, in the chunks table's row order (see PassageStore). */
export interface StoredPassage {
  id: string;
  ordinal: number;
  /** The chunks table's `section_path`: a JSON array of section titles. */
  sectionPath: string;
  text: string;
}

/** A passage read back: its stored fields, the section path parsed. */
export interface PassageRecord {
  id: string;
  ordinal: number;
  sectionPath: string[];
  text: string;
}

const MAGIC = 0x47505331; // « GPS1 »
const VERSION = 1;
const HEADER_BYTES = 12;

/**
 * The text of every passage in a plain file beside the tables, read at known offsets: LanceDB took about 4 ms to
 * give back a result's dozen passages by row offset (most of a full-text search), a few positioned reads take a
 * fraction of a millisecond. The file is a copy of the chunks table's columns, in its row order, and only a cache:
 * missing or not matching, the passages are read from the table.
 *
 * Layout: magic, version, count (Uint32, little-endian), count + 1 byte offsets into the records (Uint32), then the
 * records, each `id \n ordinal \n section_path \n text` in UTF-8 (an id, a number and a JSON string hold no newline).
 */
export class PassageStore {
  private constructor(
    private readonly path: string,
    private readonly offsets: Uint32Array,
  ) {}

  get size(): number {
    return this.offsets.length - 1;
  }

  static toStored(passages: readonly StoredPassage[]): Uint8Array {
    const encoder = new TextEncoder();
    const records = passages.map((passage) => encoder.encode(`${passage.id}\n${passage.ordinal}\n${passage.sectionPath}\n${passage.text}`));
    const offsets = new Uint32Array(passages.length + 1);
    records.forEach((record, at) => (offsets[at + 1] = (offsets[at] ?? 0) + record.length));
    const dataStart = HEADER_BYTES + offsets.byteLength;
    const bytes = new Uint8Array(dataStart + (offsets[passages.length] ?? 0));
    const view = new DataView(bytes.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, VERSION, true);
    view.setUint32(8, passages.length, true);
    offsets.forEach((offset, at) => view.setUint32(HEADER_BYTES + 4 * at, offset, true));
    records.forEach((record, at) => bytes.set(record, dataStart + (offsets[at] ?? 0)));
    return bytes;
  }

  /**
   * Opens the file's header; `undefined` when it is absent, or (logged) when it is not one this code wrote for `count`
   * passages or its length does not match its offsets (truncated, another generation's, damaged).
   */
  static async open(path: string, count: number, log: (line: string) => void): Promise<PassageStore | undefined> {
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const store = await PassageStore.readHeader(path, handle, count);
      if (!store) log(`[index] ${path} ne correspond pas à l'index des passages : les passages seront lus dans la table`);
      return store;
    } finally {
      await handle.close();
    }
  }

  private static async readHeader(path: string, handle: FileHandle, count: number): Promise<PassageStore | undefined> {
    const header = await readAt(handle, 0, HEADER_BYTES);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    if (header.length < HEADER_BYTES || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return undefined;
    if (view.getUint32(8, true) !== count) return undefined;
    const raw = await readAt(handle, HEADER_BYTES, 4 * (count + 1));
    if (raw.length !== 4 * (count + 1)) return undefined;
    const table = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const offsets = Uint32Array.from({ length: count + 1 }, (_, at) => table.getUint32(4 * at, true));
    for (let at = 0; at < count; at++) if ((offsets[at] ?? 0) > (offsets[at + 1] ?? 0)) return undefined;
    const { size } = await handle.stat();
    return size === HEADER_BYTES + raw.length + (offsets[count] ?? 0) ? new PassageStore(path, offsets) : undefined;
  }

  /**
   * The passages with these numbers, in the order asked; `undefined` when one is out of range or the file no longer
   * holds together (the caller reads the table instead). Neighbouring numbers are read in one go.
   */
  async read(numbers: readonly number[]): Promise<PassageRecord[] | undefined> {
    if (numbers.some((n) => !Number.isInteger(n) || n < 0 || n >= this.size)) return undefined;
    const dataStart = HEADER_BYTES + this.offsets.byteLength;
    const sorted = [...new Set(numbers)].sort((a, b) => a - b);
    const records = new Map<number, PassageRecord>();
    const handle = await open(this.path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      // Positioned reads in parallel on one handle: each waits for a thread of libuv's pool, not for the one before.
      const read = runs(sorted).map(async ([first, last]) => {
        const start = this.offsets[first] ?? 0;
        return { first, last, start, bytes: await readAt(handle, dataStart + start, (this.offsets[last + 1] ?? 0) - start) };
      });
      for (const { first, last, start, bytes } of await Promise.all(read)) {
        for (let n = first; n <= last; n++) {
          const record = parseRecord(bytes.subarray((this.offsets[n] ?? 0) - start, (this.offsets[n + 1] ?? 0) - start));
          if (!record) return undefined;
          records.set(n, record);
        }
      }
    } finally {
      await handle.close();
    }
    return numbers.map((n) => records.get(n)).filter((record) => record !== undefined);
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** Consecutive numbers as [first, last] runs; `sorted` is ascending and without repeats. */
function runs(sorted: readonly number[]): [number, number][] {
  const found: [number, number][] = [];
  for (const n of sorted) {
    const run = found.at(-1);
    if (run && run[1] === n - 1) run[1] = n;
    else found.push([n, n]);
  }
  return found;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function parseRecord(bytes: Uint8Array): PassageRecord | undefined {
  try {
    const text = decoder.decode(bytes);
    const [id, ordinal, sectionPath] = text.split('\n', 3);
    if (id === undefined || ordinal === undefined || sectionPath === undefined) return undefined;
    const path = JSON.parse(sectionPath) as unknown;
    if (!Array.isArray(path)) return undefined;
    return { id, ordinal: Number(ordinal), sectionPath: path.map(String), text: text.slice(id.length + ordinal.length + sectionPath.length + 3) };
  } catch {
    return undefined;
  }
}
