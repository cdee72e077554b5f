/**
 * Bad model files made from the real ones in ../shared/models: truncated, overwritten, random, or with metadata
 * edited (a chat template added, an embedding pooling declared, a value llama.cpp aborts on). The GGUF rewriter
 * keeps tensor data byte for byte and re-pads it to the file's alignment.
 */
import { copyFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from './seededRandom.js';

type KvValue = { type: 'u32'; value: number } | { type: 'i32'; value: number } | { type: 'string'; value: string };

const SCALAR_SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

interface ParsedGguf {
  header: Buffer; // magic + version
  kvs: { key: string; raw: Buffer }[];
  tensorCount: bigint;
  tensorInfos: Buffer;
  alignment: number;
  data: Buffer;
}

function parse(file: Buffer): ParsedGguf {
  let offset = 8;
  const tensorCount = file.readBigUInt64LE(offset);
  const kvCount = Number(file.readBigUInt64LE(offset + 8));
  offset += 16;
  const readString = (at: number): [string, number] => {
    const length = Number(file.readBigUInt64LE(at));
    return [file.toString('utf8', at + 8, at + 8 + length), at + 8 + length];
  };
  const skipValue = (type: number, at: number): number => {
    if (type === 8) return readString(at)[1];
    if (type === 9) {
      const itemType = file.readUInt32LE(at);
      const count = Number(file.readBigUInt64LE(at + 4));
      let cursor = at + 12;
      for (let i = 0; i < count; i++) cursor = skipValue(itemType, cursor);
      return cursor;
    }
    return at + SCALAR_SIZES[type]!;
  };
  const kvs: ParsedGguf['kvs'] = [];
  let alignment = 32;
  for (let i = 0; i < kvCount; i++) {
    const start = offset;
    const [key, afterKey] = readString(offset);
    const type = file.readUInt32LE(afterKey);
    offset = skipValue(type, afterKey + 4);
    if (key === 'general.alignment') alignment = file.readUInt32LE(afterKey + 4);
    kvs.push({ key, raw: file.subarray(start, offset) });
  }
  const infoStart = offset;
  for (let i = 0n; i < tensorCount; i++) {
    offset = readString(offset)[1];
    const dims = file.readUInt32LE(offset);
    offset += 4 + dims * 8 + 4 + 8;
  }
  const tensorInfos = file.subarray(infoStart, offset);
  const dataStart = Math.ceil(offset / alignment) * alignment;
  return { header: file.subarray(0, 8), kvs, tensorCount, tensorInfos, alignment, data: file.subarray(dataStart) };
}

function encodeKv(key: string, value: KvValue): Buffer {
  const keyBytes = Buffer.from(key, 'utf8');
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(keyBytes.length));
  if (value.type === 'string') {
    const text = Buffer.from(value.value, 'utf8');
    const meta = Buffer.alloc(12);
    meta.writeUInt32LE(8, 0);
    meta.writeBigUInt64LE(BigInt(text.length), 4);
    return Buffer.concat([head, keyBytes, meta, text]);
  }
  const body = Buffer.alloc(8);
  body.writeUInt32LE(value.type === 'u32' ? 4 : 5, 0);
  if (value.type === 'u32') body.writeUInt32LE(value.value, 4);
  else body.writeInt32LE(value.value, 4);
  return Buffer.concat([head, keyBytes, body]);
}

/** Copies a GGUF with metadata keys set (added or replaced); tensor data unchanged. */
export async function withMetadata(source: string, destination: string, edits: Record<string, KvValue>): Promise<string> {
  const parsed = parse(await readFile(source));
  const kvs = parsed.kvs.filter((kv) => !Object.hasOwn(edits, kv.key)).map((kv) => kv.raw);
  for (const [key, value] of Object.entries(edits)) kvs.push(encodeKv(key, value));
  return writeGguf(parsed, kvs, destination);
}

/** Writes a GGUF with these metadata entries and the parsed file's tensors, re-padded to its alignment. */
async function writeGguf(parsed: ParsedGguf, kvs: readonly Buffer[], destination: string): Promise<string> {
  const counts = Buffer.alloc(16);
  counts.writeBigUInt64LE(parsed.tensorCount, 0);
  counts.writeBigUInt64LE(BigInt(kvs.length), 8);
  const head = Buffer.concat([parsed.header, counts, ...kvs, parsed.tensorInfos]);
  const padding = Buffer.alloc((parsed.alignment - (head.length % parsed.alignment)) % parsed.alignment);
  await writeFile(destination, Buffer.concat([head, padding, parsed.data]));
  return destination;
}

/** The first `fraction` of a file (a download cut short). */
export async function truncatedCopy(source: string, destination: string, fraction = 0.5): Promise<string> {
  const bytes = await readFile(source);
  await writeFile(destination, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return destination;
}

/** A copy with `length` bytes at `offset` overwritten with 0xFF. */
export async function overwrittenCopy(source: string, destination: string, offset: number, length: number): Promise<string> {
  const bytes = Buffer.from(await readFile(source));
  bytes.fill(0xff, offset, offset + length);
  await writeFile(destination, bytes);
  return destination;
}

/**
 * Random bytes named `.gguf`: the same bytes every run (a fixed seed, never « GGUF » at the start), so that a
 * failure on them can be replayed.
 */
export async function randomGguf(destination: string, size = 100_000, seed = 0x6775_6666): Promise<string> {
  const random = seededRandom(seed);
  await writeFile(destination, Buffer.from(Array.from({ length: size }, () => random.int(0, 255))));
  return destination;
}

/** A copy extended (sparsely: no disk used) to `size` bytes: a model « too large » for this PC's memory. */
export async function oversizedCopy(source: string, destination: string, size: number): Promise<string> {
  await copyFile(source, destination);
  await truncate(destination, size);
  return destination;
}

/** A ChatML template as in Qwen 2.5's GGUF files (without tool calls). */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Every bad file of the issue, made in `dir` from stories260K. */
export async function badModels(dir: string, stories: string): Promise<Record<'truncated' | 'random' | 'embedding' | 'aborting' | 'endless', string>> {
  return {
    truncated: await truncatedCopy(stories, join(dir, 'tronque.gguf')),
    random: await randomGguf(join(dir, 'aleatoire.gguf')),
    embedding: await withMetadata(stories, join(dir, 'embeddings.gguf'), { 'llama.pooling_type': { type: 'u32', value: 1 } }),
    // llama.cpp checks tensor shapes with GGML_ASSERT: zero heads aborts the whole process.
    aborting: await withMetadata(stories, join(dir, 'zero-tetes.gguf'), { 'llama.attention.head_count': { type: 'u32', value: 0 } }),
    // 0xFF over a tensor name's length: node-llama-cpp's parser loops on, allocating, until stopped.
    endless: await overwrittenCopy(stories, join(dir, 'sans-fin.gguf'), 13_000, 60),
  };
}

/** Control characters a model could emit (C0 without tab, newline and carriage return; DEL; C1). */
const CONTROLS = [...Array.from({ length: 32 }, (_, c) => c).filter((c) => ![9, 10, 13].includes(c)), 0x7f, ...Array.from({ length: 32 }, (_, c) => 0x80 + c)].map((c) => String.fromCharCode(c));

/**
 * A copy of a model whose vocabulary writes control characters. `mixed`: every piece gets an ESC before it (the text
 * is still there once they are removed); `only`: every piece becomes two or three control characters, distinct per
 * token, so that nothing readable is ever written. Special and byte tokens (`<s>`, `<0x41>`) stay: tokenizing a
 * prompt needs them.
 */
export async function controlBytesCopy(source: string, destination: string, mode: 'mixed' | 'only'): Promise<string> {
  const parsed = parse(await readFile(source));
  const kvs = parsed.kvs.map((kv) => (kv.key === 'tokenizer.ggml.tokens' ? controlVocabulary(kv.raw, mode) : kv.raw));
  return writeGguf(parsed, kvs, destination);
}

function controlVocabulary(raw: Buffer, mode: 'mixed' | 'only'): Buffer {
  const keyLength = Number(raw.readBigUInt64LE(0));
  let cursor = 8 + keyLength + 4 + 4; // key, value type (array), item type (string)
  const count = Number(raw.readBigUInt64LE(cursor));
  const prefix = raw.subarray(0, cursor + 8);
  cursor += 8;
  const width = count <= CONTROLS.length ** 2 ? 2 : 3;
  const pieces: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const length = Number(raw.readBigUInt64LE(cursor));
    const text = raw.toString('utf8', cursor + 8, cursor + 8 + length);
    cursor += 8 + length;
    const special = /^<.*>$/.test(text);
    const edited = special ? text : mode === 'mixed' ? `\u001b${text}` : controlCode(i, width);
    const bytes = Buffer.from(edited, 'utf8');
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(bytes.length));
    pieces.push(size, bytes);
  }
  return Buffer.concat([prefix, ...pieces]);
}

function controlCode(index: number, width: number): string {
  let code = '';
  for (let rest = index, digit = 0; digit < width; digit++, rest = Math.floor(rest / CONTROLS.length)) code += CONTROLS[rest % CONTROLS.length];
  return code;
}
