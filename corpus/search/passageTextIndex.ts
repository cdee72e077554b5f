import { passageStemCounts, passageStems } from './ficheTextIndex.js';

/** One passage as the full-text index sees it: its id, its fiche variant's key, and its `search_text`. */
export interface PassageText {
  id: string;
  ficheKey: string;
  text: string;
}

/** A passage found, with its BM25 score and its number (its row in the chunks table, see PassageTextIndex). */
export interface PassageMatch {
  id: string;
  ficheKey: string;
  score: number;
}

const K1 = 1.2;
/**
 * Length normalisation, under the usual 0,75: a passage is short already, and its fiche's title and section path make
 * most of a short one. Measured on the tuning sets (k1 1,2): b 0,75 gave ALL r1 0,542 / r5 0,801 but blind-B r1 under
 * its floor without audiences (0,477); b 0,5 gives 0,540 / 0,803 and keeps every floor.
 */
const B = 0.5;
const MAGIC = 0x47505431; // « GPT1 »
const VERSION = 1;

/** What the stored file's JSON header says: the sizes of the sections that follow it (see toStored). */
interface StoredHeader {
  version: number;
  /** Bytes of the fiche keys, the passage ids and the stems, each `\n`-joined UTF-8 (faster to read than JSON). */
  textBytes: [number, number, number];
  postings: number;
  /** Bytes of a posting's passage number: 2 up to 65 536 passages (the DILA feeds have 25 551), else 4. */
  docBytes: 2 | 4;
}

/**
 * BM25 (k1 1,2, b 0,5) over the passages' `search_text`, in memory: LanceDB's full-text search cost 7 to 14 ms a
 * question whatever its words, mostly fixed per query, where scoring the posting lists here takes about a
 * millisecond. Words are compared by the fiche level's rough stems, not cut to 7 letters (see `passageStems`).
 * A passage's number is its position in the list it was built from, which the import writes as the chunks table's
 * row order: the shown passages can then be read back by row offset.
 */
export class PassageTextIndex {
  private readonly norms: Float64Array;
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;

  /**
   * `stems` are sorted, and `idOrder` lists the passage numbers by id: both are searched by bisection, where maps of
   * tens of thousands of strings took tens of milliseconds to build at each open.
   */
  private constructor(
    private readonly keys: readonly string[],
    private readonly ids: readonly string[],
    private readonly idOrder: Uint32Array,
    private readonly docFiche: Uint32Array,
    private readonly docLength: Uint32Array,
    private readonly stems: readonly string[],
    private readonly starts: Uint32Array,
    private readonly docs: Uint16Array | Uint32Array,
    private readonly tfs: Uint8Array,
  ) {
    let total = 0;
    for (const length of docLength) total += length;
    const average = Math.max(1, total / Math.max(1, docLength.length));
    this.norms = Float64Array.from(docLength, (length) => K1 * (1 - B + (B * length) / average));
    this.scores = new Float64Array(ids.length);
    this.touched = new Int32Array(ids.length);
  }

  get size(): number {
    return this.ids.length;
  }

  static fromPassages(passages: readonly PassageText[]): PassageTextIndex {
    const keyNumbers = new Map<string, number>();
    const docFiche = new Uint32Array(passages.length);
    const docLength = new Uint32Array(passages.length);
    const lists = new Map<string, number[]>();
    passages.forEach((passage, doc) => {
      let fiche = keyNumbers.get(passage.ficheKey);
      if (fiche === undefined) keyNumbers.set(passage.ficheKey, (fiche = keyNumbers.size));
      docFiche[doc] = fiche;
      for (const [stem, count] of passageStemCounts(passage.text)) {
        docLength[doc] = (docLength[doc] ?? 0) + count;
        const list = lists.get(stem);
        if (list) list.push(doc, count);
        else lists.set(stem, [doc, count]);
      }
    });
    const stems = [...lists.keys()].sort();
    const postings = [...lists.values()].reduce((sum, list) => sum + list.length / 2, 0);
    const starts = new Uint32Array(stems.length + 1);
    const docs = passages.length <= 0x10000 ? new Uint16Array(postings) : new Uint32Array(postings);
    const tfs = new Uint8Array(postings);
    let at = 0;
    stems.forEach((stem, s) => {
      const list = lists.get(stem) ?? [];
      for (let i = 0; i < list.length; i += 2, at++) {
        docs[at] = list[i] ?? 0;
        tfs[at] = Math.min(0xff, list[i + 1] ?? 0); // a passage holds a few hundred words, never one 255 times
      }
      starts[s + 1] = at;
    });
    const ids = passages.map((passage) => passage.id);
    const idOrder = Uint32Array.from(ids.keys()).sort((a, b) => compare(ids[a] ?? '', ids[b] ?? ''));
    return new PassageTextIndex([...keyNumbers.keys()], ids, idOrder, docFiche, docLength, stems, starts, docs, tfs);
  }

  /**
   * The stored bytes: magic, header length, a JSON header (sizes), the keys, ids and stems as `\n`-joined UTF-8,
   * then, each at a multiple of 4, idOrder, docFiche, docLength, starts (Uint32), docs (Uint16 or Uint32) and tfs
   * (Uint8), in the machine's byte order (little-endian on every PC Guichet runs on). Typed arrays are viewed in
   * place at open: reading the file is most of the open, so the postings take the narrowest type that holds them.
   */
  toStored(): Uint8Array {
    const encoder = new TextEncoder();
    const texts = [this.keys, this.ids, this.stems].map((list) => encoder.encode(list.join('\n')));
    const header: StoredHeader = { version: VERSION, textBytes: [texts[0]?.length ?? 0, texts[1]?.length ?? 0, texts[2]?.length ?? 0], postings: this.docs.length, docBytes: this.docs instanceof Uint16Array ? 2 : 4 };
    const json = encoder.encode(JSON.stringify(header));
    const sections = [...texts, this.idOrder, this.docFiche, this.docLength, this.starts, this.docs, this.tfs];
    const size = sections.reduce((end, array) => align(end) + array.byteLength, 8 + json.length);
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, json.length, true);
    bytes.set(json, 8);
    let at = 8 + json.length;
    for (const array of sections) {
      at = align(at);
      bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), at);
      at += array.byteLength;
    }
    return bytes;
  }

  /** The stored form, or `undefined` when it is not one this code wrote or does not hold together (damaged). */
  static fromStored(stored: Uint8Array): PassageTextIndex | undefined {
    if (stored.byteLength < 8) return undefined;
    const bytes = stored.byteOffset % 4 === 0 ? stored : stored.slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) return undefined;
    const headerLength = view.getUint32(4, true);
    if (8 + headerLength > bytes.byteLength) return undefined;
    const decoder = new TextDecoder();
    const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as Partial<StoredHeader> | null;
    if (header?.version !== VERSION || !Array.isArray(header.textBytes) || typeof header.postings !== 'number') return undefined;
    if (header.docBytes !== 2 && header.docBytes !== 4) return undefined;
    let at = 8 + headerLength;
    const lists = header.textBytes.map((length: unknown) => {
      at = align(at);
      if (typeof length !== 'number' || at + length > bytes.byteLength) return undefined;
      const text = decoder.decode(bytes.subarray(at, (at += length)));
      return text === '' ? [] : text.split('\n');
    });
    const [keys, ids, stems] = lists;
    if (lists.length !== 3 || !keys || !ids || !stems) return undefined;
    const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, count: number, width: number): T | undefined => {
      at = align(at);
      if (at + count * width > bytes.byteLength) return undefined;
      const array = make(bytes.buffer, bytes.byteOffset + at, count);
      at += count * width;
      return array;
    };
    const u32 = (count: number) => take((buffer, offset, length) => new Uint32Array(buffer, offset, length), count, 4);
    const idOrder = u32(ids.length);
    const docFiche = u32(ids.length);
    const docLength = u32(ids.length);
    const starts = u32(stems.length + 1);
    const docs =
      header.docBytes === 2 ? take((buffer, offset, length) => new Uint16Array(buffer, offset, length), header.postings, 2) : u32(header.postings);
    const tfs = take((buffer, offset, length) => new Uint8Array(buffer, offset, length), header.postings, 1);
    if (!idOrder || !docFiche || !docLength || !starts || !docs || !tfs || at !== bytes.byteLength) return undefined;
    if (!ascending(starts, header.postings) || docFiche.some((fiche) => fiche >= keys.length) || idOrder.some((doc) => doc >= ids.length)) return undefined;
    return new PassageTextIndex(keys, ids, idOrder, docFiche, docLength, stems, starts, docs, tfs);
  }

  /**
   * Best passages for the words (any of them, OR), best first; equal scores in passage order.
   * @param accept Filter on fiche keys (audience, source, excluded), asked once per fiche.
   */
  search(words: readonly string[], limit: number, accept: (ficheKey: string) => boolean, weights: readonly number[] = []): PassageMatch[] {
    // Each word asked counts, two that share a stem twice (« déclarer déclaration »), as in LanceDB's OR query: one
    // count per stem put one gold fiche fewer in the top 5 of the tuning sets. A word counts its weight (1 if missing).
    const stems = words.flatMap((word, at) => passageStems(word).map((stem) => ({ stem, weight: weights[at] ?? 1 })));
    const total = this.ids.length;
    let count = 0;
    for (const { stem, weight } of stems) {
      const s = bisect(this.stems.length, (at) => compare(this.stems[at] ?? '', stem));
      if (s === undefined) continue;
      const start = this.starts[s] ?? 0;
      const end = this.starts[s + 1] ?? start;
      const documents = end - start;
      const idf = Math.log(1 + (total - documents + 0.5) / (documents + 0.5));
      for (let at = start; at < end; at++) {
        const doc = this.docs[at] ?? 0;
        if (doc >= total) continue; // a damaged posting: never read outside the passages
        const tf = this.tfs[at] ?? 0;
        if (this.scores[doc] === 0) this.touched[count++] = doc;
        this.scores[doc] = (this.scores[doc] ?? 0) + (weight * idf * tf * (K1 + 1)) / (tf + (this.norms[doc] ?? K1));
      }
    }
    const accepted = new Int8Array(this.keys.length);
    const best = new TopK(limit);
    for (let i = 0; i < count; i++) {
      const doc = this.touched[i] ?? 0;
      const score = this.scores[doc] ?? 0;
      this.scores[doc] = 0;
      const fiche = this.docFiche[doc] ?? 0;
      if (accepted[fiche] === 0) accepted[fiche] = accept(this.keys[fiche] ?? '') ? 1 : -1;
      if (accepted[fiche] === 1) best.offer(doc, score);
    }
    return best.sorted().map(({ doc, score }) => ({ id: this.ids[doc] ?? '', ficheKey: this.keys[this.docFiche[doc] ?? 0] ?? '', score }));
  }

  /** The id and fiche key of passage `doc` (a number from {@link numberOf} or {@link numbersOf}). */
  passageAt(doc: number): { id: string; ficheKey: string } | undefined {
    const id = this.ids[doc];
    return id === undefined ? undefined : { id, ficheKey: this.keys[this.docFiche[doc] ?? 0] ?? '' };
  }

  /** The numbers of every passage of a fiche variant, ascending (a scan: a few tens of microseconds). */
  numbersOf(ficheKey: string): number[] {
    const fiche = this.keys.indexOf(ficheKey);
    const numbers: number[] = [];
    if (fiche < 0) return numbers;
    this.docFiche.forEach((owner, doc) => owner === fiche && numbers.push(doc));
    return numbers;
  }

  /** The passage's number (its row in the chunks table when the import built this index), `undefined` if unknown. */
  numberOf(id: string): number | undefined {
    const at = bisect(this.idOrder.length, (at) => compare(this.ids[this.idOrder[at] ?? 0] ?? '', id));
    return at === undefined ? undefined : this.idOrder[at];
  }
}

/** The `limit` best (doc, score) pairs: a min-heap on the score, ties kept in doc order. */
class TopK {
  private readonly heap: { doc: number; score: number }[] = [];

  constructor(private readonly limit: number) {}

  offer(doc: number, score: number): void {
    if (this.limit <= 0) return;
    const entry = { doc, score };
    if (this.heap.length < this.limit) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    } else if (worse(this.heap[0] ?? entry, entry)) {
      this.heap[0] = entry;
      this.down(0);
    }
  }

  sorted(): { doc: number; score: number }[] {
    return [...this.heap].sort((a, b) => b.score - a.score || a.doc - b.doc);
  }

  private up(at: number): void {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!worse(this.heap[at]!, this.heap[parent]!)) return;
      [this.heap[at], this.heap[parent]] = [this.heap[parent]!, this.heap[at]!];
      at = parent;
    }
  }

  private down(at: number): void {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < this.heap.length && worse(this.heap[left]!, this.heap[least]!)) least = left;
      if (right < this.heap.length && worse(this.heap[right]!, this.heap[least]!)) least = right;
      if (least === at) return;
      [this.heap[at], this.heap[least]] = [this.heap[least]!, this.heap[at]!];
      at = least;
    }
  }
}

/** `a` ranks below `b`: a lower score, or the same score and a later passage. */
function worse(a: { doc: number; score: number }, b: { doc: number; score: number }): boolean {
  return a.score < b.score || (a.score === b.score && a.doc > b.doc);
}

/** Where `order(at)` is 0 in a sorted list of `length` (order: -1 before, 1 after), `undefined` when nowhere. */
function bisect(length: number, order: (at: number) => number): number | undefined {
  let low = 0;
  let high = length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const side = order(middle);
    if (side === 0) return middle;
    if (side < 0) low = middle + 1;
    else high = middle - 1;
  }
  return undefined;
}

/** The order of `Array.prototype.sort` on strings (UTF-16 code units). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function align(at: number): number {
  return (at + 3) & ~3;
}

/** Posting-list starts that go up from 0 to the postings' count. */
function ascending(starts: Uint32Array, postings: number): boolean {
  if (starts[0] !== 0 || starts[starts.length - 1] !== postings) return false;
  for (let s = 1; s < starts.length; s++) if ((starts[s] ?? 0) < (starts[s - 1] ?? 0)) return false;
  return true;
}
