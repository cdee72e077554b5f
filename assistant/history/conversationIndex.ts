import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { conversationIdTime, randomSuffix } from './conversationId.js';
import {
  UNTITLED,
  headerLineSchema,
  messageLineSchema,
  titleFrom,
  type ConversationSummary,
} from './conversationTypes.js';
import { readJsonl, type JsonlRead } from './jsonlFile.js';
import { historyEncryptedError, isSealed, type LineCipher } from './lineCipher.js';

/**
 * A cache of conversation summaries (title, dates, message count) in `conversations/index.json`, so that the history
 * list does not read every file. It is only a cache: the JSONL files are the truth. Each entry remembers how many
 * bytes of its file it has seen, so a refresh reads only the lines appended since; a missing, corrupt or stale index
 * is rebuilt from the files, and appends never write it (they stay one write and one `fsync`).
 */

const entrySchema = z.object({
  committedBytes: z.number().int().nonnegative(),
  headerTitle: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int().nonnegative(),
});
type IndexEntry = z.infer<typeof entrySchema>;
const indexSchema = z.object({ version: z.literal(1), conversations: z.record(z.string(), entrySchema) });

/** Summaries of the conversations in one folder, refreshed from their files on demand. */
export class ConversationIndex {
  readonly #folder: string;
  readonly #path: string;
  #entries: Map<string, IndexEntry> | undefined;
  #dirty = false;
  /** Flushes run one after the other: an older snapshot renamed last would resurrect a deleted title. */
  #flushing: Promise<void> = Promise.resolve();

  /** `folder`: the conversations folder, which holds the index file too. */
  /** `cipher`: the index holds titles, sealed like the conversations when they are. */
  constructor(folder: string, private readonly cipher?: LineCipher) {
    this.#folder = folder;
    this.#path = join(folder, 'index.json');
  }

  /**
   * The up-to-date summary of conversation `id`, read from its file past what the cache has seen. Throws `ENOENT`
   * when the file is gone. Callers serialise this with appends and deletes of the same id.
   */
  async refresh(id: string): Promise<ConversationSummary> {
    const entries = await this.#load();
    const file = join(this.#folder, `${id}.jsonl`);
    const size = (await stat(file)).size;
    let entry = entries.get(id);
    // A file shorter than what we saw was cut or replaced: start again from its first byte.
    if (entry && size < entry.committedBytes) entry = undefined;
    if (!entry || size > entry.committedBytes) {
      const read = await readJsonl(file, entry?.committedBytes ?? 0, this.cipher);
      if (read.sealed > 0) throw historyEncryptedError();
      entry = fold(id, entry, read);
      entries.set(id, entry);
      this.#dirty = true;
    }
    return { id, title: entry.title, createdAt: entry.createdAt, updatedAt: entry.updatedAt, messageCount: entry.messageCount };
  }

  /** Drops the entries of conversations that are no longer on disk (deleted here, or by hand). */
  async retain(keep: ReadonlySet<string>): Promise<void> {
    const entries = await this.#load();
    for (const id of entries.keys()) {
      if (!keep.has(id)) {
        entries.delete(id);
        this.#dirty = true;
      }
    }
  }

  /** Forgets one conversation (after its deletion: its title must not outlive it in the cache). */
  async forget(id: string): Promise<void> {
    const entries = await this.#load();
    if (entries.delete(id)) this.#dirty = true;
  }

  /** Writes the cache if it changed: temporary file then rename, so a crash leaves the old or the new index. */
  flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#write());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async #write(): Promise<void> {
    if (!this.#dirty || !this.#entries) return;
    this.#dirty = false;
    const data = { version: 1 as const, conversations: Object.fromEntries(this.#entries) };
    const temp = `${this.#path}.${process.pid}-${randomSuffix(6)}.tmp`;
    try {
      const json = JSON.stringify(data);
      await writeFile(temp, this.cipher ? this.cipher.seal(json) : json, { mode: 0o600 });
      await rename(temp, this.#path);
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }

  async #load(): Promise<Map<string, IndexEntry>> {
    if (this.#entries) return this.#entries;
    let entries = new Map<string, IndexEntry>();
    try {
      const text = await readFile(this.#path, 'utf8');
      // Sealed and no key (or another key): treated as absent, rebuilt from the files.
      const parsed = indexSchema.safeParse(JSON.parse(isSealed(text) ? this.cipher!.open(text) : text) as unknown);
      if (parsed.success) entries = new Map(Object.entries(parsed.data.conversations));
      else this.#dirty = true;
    } catch {
      // Absent or corrupt: rebuilt from the files as the list asks for them.
      this.#dirty = true;
    }
    this.#entries ??= entries;
    return this.#entries;
  }
}

/** Adds the lines of `read` to what `entry` already summarised. */
function fold(id: string, entry: IndexEntry | undefined, read: JsonlRead): IndexEntry {
  const createdAt = conversationIdTime(id).toISOString();
  const next: IndexEntry = entry
    ? { ...entry }
    : { committedBytes: 0, headerTitle: '', title: UNTITLED, createdAt, updatedAt: createdAt, messageCount: 0 };
  read.records.forEach((record, index) => {
    const header = headerLineSchema.safeParse(record);
    if (header.success && !entry && index === 0) {
      next.createdAt = header.data.createdAt;
      if (next.updatedAt < header.data.createdAt) next.updatedAt = header.data.createdAt;
      next.headerTitle = header.data.title;
      if (header.data.title !== '') next.title = header.data.title;
      return;
    }
    const message = messageLineSchema.safeParse(record);
    if (!message.success) return;
    next.messageCount += 1;
    if (message.data.createdAt > next.updatedAt) next.updatedAt = message.data.createdAt;
    // Without a title in the header, the first question titles the conversation (its text is stored masked).
    if (next.headerTitle === '' && next.title === UNTITLED && message.data.role === 'agent') {
      next.title = titleFrom(message.data.text) || UNTITLED;
    }
  });
  next.committedBytes = read.committedBytes;
  return next;
}
