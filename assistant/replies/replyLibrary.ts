import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { KeyedQueue } from '../history/keyedQueue.js';
import { ReplyError } from './replyError.js';
import {
  cleanTags,
  newEntrySchema,
  patchSchema,
  REPLY_TEXT_MAX,
  summarize,
  TESTIMONY_SUMMARY_MAX,
  type NewReplyEntry,
  type ReplyEntry,
  type ReplyEntryPatch,
  type ReplyLibraryFile,
} from './replyEntry.js';
import { mergeReplies, parseReplyImport, type ReplyImportReport } from './replyImport.js';
import { readLibraryFile, writeLibraryFile } from './replyLibraryFile.js';
import { contentWords, jaccard, normalizeText } from './replyWords.js';

/** What a {@link ReplyLibrary} needs. The shell's composition file builds it once. */
export interface ReplyLibraryOptions {
  /** The user's data directory; the library is `<dataDir>/replies/library.json`. */
  dataDir: string;
  /** Masks personal data (the privacy module's masker); applied to every testimony and reply stored or imported. */
  redact: (text: string) => string;
  /** Clock, for tests; default `new Date()`. */
  now?: () => Date;
}

/** Filter of {@link ReplyLibrary.list}; both optional, combined with AND. */
export interface ReplyListFilter {
  /** Same institution, ignoring case, accents and blanks. */
  institution?: string;
  /** Every word appears in the institution, testimony, reply or tags (case and accents ignored). */
  query?: string;
}

/** An entry and how close it is to a testimony (0–1.4, comparable within one call only). */
export interface SimilarReply {
  entry: ReplyEntry;
  score: number;
}

export interface ReplyLibraryInfo {
  path: string;
  count: number;
  /** French, set when the file was found damaged this session and set aside. */
  warning?: string;
}

/**
 * Weight of a matching institution. Testimony overlaps (Jaccard) run 0–0.6: a reply of the same institution on the
 * same subject outranks a somewhat closer one from elsewhere, whose facts (contacts, procedures) may not apply here,
 * while a near-identical case elsewhere still beats an unrelated reply of the same institution.
 */
const INSTITUTION_WEIGHT = 0.4;
/** Below this, an entry says nothing useful about the testimony. */
const MIN_SIMILARITY = 0.04;

/**
 * The replies agents validated, kept on the PC in `<dataDir>/replies/library.json` as style examples for the next
 * drafts. Every operation reads the file afresh (it is small, and the CLI may have changed it) and every change is one
 * atomic rewrite; operations of this instance run one at a time. Testimonies and replies are masked before they are
 * stored: the library is meant to be exported and shared between agents.
 */
export class ReplyLibrary {
  /** The library file. */
  readonly path: string;
  readonly #redact: (text: string) => string;
  readonly #now: () => Date;
  readonly #queue = new KeyedQueue();
  #warning: string | undefined;

  constructor(options: ReplyLibraryOptions) {
    this.path = join(options.dataDir, 'replies', 'library.json');
    this.#redact = options.redact;
    this.#now = options.now ?? (() => new Date());
  }

  async info(): Promise<ReplyLibraryInfo> {
    const count = (await this.#read()).length;
    return { path: this.path, count, ...(this.#warning ? { warning: this.#warning } : {}) };
  }

  /** Entries matching the filter, most recently updated first. */
  async list(filter: ReplyListFilter = {}): Promise<ReplyEntry[]> {
    const institution = filter.institution ? normalizeText(filter.institution) : undefined;
    const words = filter.query ? normalizeText(filter.query).split(' ').filter(Boolean) : [];
    const entries = (await this.#read()).filter((entry) => {
      if (institution && normalizeText(entry.institution) !== institution) return false;
      const haystack = normalizeText([entry.institution, entry.testimony, entry.reply, ...entry.tags].join(' '));
      return words.every((word) => haystack.includes(word));
    });
    return entries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  /** @throws ReplyError `reply-not-found`. */
  async get(id: string): Promise<ReplyEntry> {
    return findOrThrow(await this.#read(), id);
  }

  /**
   * Adds an accepted draft (without its AI mention). The testimony is masked then shortened to a summary of at most
   * 500 characters; the reply is masked. The same reply added twice for the same institution is kept once.
   * @throws ReplyError `reply-entry-invalid`, `reply-library-unwritable`.
   */
  async add(input: NewReplyEntry): Promise<ReplyEntry> {
    const parsed = newEntrySchema.safeParse(input);
    if (!parsed.success) throw invalidEntry(parsed.error);
    const { tone, tags, ...fields } = parsed.data;
    const now = this.#now().toISOString();
    const entry: ReplyEntry = {
      id: `r-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
      institution: fields.institution,
      ...(tone ? { tone } : {}),
      testimony: this.#summary(fields.testimony),
      reply: this.#maskReply(fields.reply),
      tags: cleanTags(tags ?? [], normalizeText),
      createdAt: now,
      updatedAt: now,
      uses: 0,
    };
    return this.#change((entries) => {
      const twin = entries.find((e) => e.reply === entry.reply && normalizeText(e.institution) === normalizeText(entry.institution));
      return twin ? { entries, result: twin } : { entries: [...entries, entry], result: entry };
    });
  }

  /** @throws ReplyError `reply-not-found`, `reply-entry-invalid`, `reply-library-unwritable`. */
  async update(id: string, patch: ReplyEntryPatch): Promise<ReplyEntry> {
    const parsed = patchSchema.safeParse(patch);
    if (!parsed.success) throw invalidEntry(parsed.error);
    const { testimony, reply, tags, ...rest } = parsed.data;
    return this.#change((entries) => {
      const current = findOrThrow(entries, id);
      const next: ReplyEntry = {
        ...current,
        ...rest,
        ...(testimony === undefined ? {} : { testimony: this.#summary(testimony) }),
        ...(reply === undefined ? {} : { reply: this.#maskReply(reply) }),
        ...(tags === undefined ? {} : { tags: cleanTags(tags, normalizeText) }),
        updatedAt: this.#now().toISOString(),
      };
      return { entries: entries.map((e) => (e.id === id ? next : e)), result: next };
    });
  }

  /** @throws ReplyError `reply-not-found`, `reply-library-unwritable`. */
  async delete(id: string): Promise<void> {
    await this.#change((entries) => {
      findOrThrow(entries, id);
      return { entries: entries.filter((e) => e.id !== id), result: undefined };
    });
  }

  /** The whole library as JSON, in the same format as the file: another agent can import it. */
  async exportJson(): Promise<string> {
    const data: ReplyLibraryFile = {
      format: 'guichet-replies',
      version: 1,
      exportedAt: this.#now().toISOString(),
      entries: await this.#read(),
    };
    return `${JSON.stringify(data, null, 2)}\n`;
  }

  /**
   * Imports an export. `merge` adds new ids and replaces an entry when the file's version is newer; `replace` makes
   * the library exactly the file. Everything imported is masked again (a shared file may come from a PC that did not).
   * @throws ReplyError `reply-import-invalid` (the library is unchanged), `reply-library-unwritable`.
   */
  async importJson(json: string, options: { mode: 'merge' | 'replace' }): Promise<ReplyImportReport> {
    const parsed = parseReplyImport(json);
    const incoming = new Map<string, ReplyEntry>();
    for (const entry of parsed) {
      incoming.set(entry.id, { ...entry, testimony: this.#summary(entry.testimony), reply: this.#maskReply(entry.reply) });
    }
    return this.#change((entries) => mergeReplies(entries, [...incoming.values()], options.mode));
  }

  /**
   * The `k` entries closest to a testimony: content words in common (accents folded, stop words dropped, Jaccard),
   * plus a bonus for the same institution, so that a draft follows its own service's style when it can.
   * @param k default 2, range 0–20.
   */
  async similar(testimony: string, institution: string, k = 2): Promise<SimilarReply[]> {
    const limit = Math.min(20, Math.max(0, Math.trunc(k)));
    const words = contentWords(testimony);
    const institutionWords = contentWords(institution);
    const scored = (await this.#read()).map((entry) => {
      const text = jaccard(words, contentWords(`${entry.testimony} ${entry.tags.join(' ')}`));
      const same = sameInstitution(institution, institutionWords, entry.institution);
      return { entry, score: text + INSTITUTION_WEIGHT * same };
    });
    return scored
      .filter((item) => item.score >= MIN_SIMILARITY)
      .sort((a, b) => b.score - a.score || b.entry.uses - a.entry.uses || b.entry.updatedAt.localeCompare(a.entry.updatedAt))
      .slice(0, limit);
  }

  /** Counts one more use of each entry (used as an example in a draft). Unknown ids are ignored. */
  async markUsed(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#change((entries) => ({
      entries: entries.map((e) => (ids.includes(e.id) ? { ...e, uses: e.uses + 1 } : e)),
      result: undefined,
    }));
  }

  #summary(testimony: string): string {
    return summarize(this.#redact(testimony), TESTIMONY_SUMMARY_MAX);
  }

  #maskReply(reply: string): string {
    return this.#redact(reply).trim().slice(0, REPLY_TEXT_MAX);
  }

  #read(): Promise<ReplyEntry[]> {
    return this.#queue.run('library', () => this.#load());
  }

  async #load(): Promise<ReplyEntry[]> {
    try {
      const read = await readLibraryFile(this.path, this.#now());
      if (read.warning) this.#warning = read.warning;
      return read.entries;
    } catch (cause) {
      throw new ReplyError('reply-library-unwritable', `Impossible de lire la bibliothèque de réponses ${this.path}.`, { cause });
    }
  }

  /** Reads, changes and rewrites the file as one step of the queue: two changes never interleave. */
  #change<T>(apply: (entries: ReplyEntry[]) => { entries: ReplyEntry[]; result: T }): Promise<T> {
    return this.#queue.run('library', async () => {
      const { entries, result } = apply(await this.#load());
      try {
        await writeLibraryFile(this.path, entries);
      } catch (cause) {
        throw new ReplyError('reply-library-unwritable', `Impossible d'enregistrer la bibliothèque de réponses ${this.path}.`, { cause });
      }
      return result;
    });
  }
}

function findOrThrow(entries: readonly ReplyEntry[], id: string): ReplyEntry {
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new ReplyError('reply-not-found', "Cette réponse n'est pas (ou plus) dans la bibliothèque.", { cause: `id ${id}` });
  return entry;
}

function invalidEntry(cause: unknown): ReplyError {
  return new ReplyError(
    'reply-entry-invalid',
    "Réponse non enregistrée : l'institution, le témoignage et la réponse sont obligatoires (réponse de 5 000 caractères au plus, 20 mots-clés au plus).",
    { cause },
  );
}

/** 1 for the same institution, a fraction for a close name (« CAF de la Gironde » / « CAF Gironde »), else 0. */
function sameInstitution(name: string, words: ReadonlySet<string>, other: string): number {
  if (normalizeText(name) === normalizeText(other)) return 1;
  return jaccard(words, contentWords(other));
}

// Re-exported so that callers need one import for the library and its types.
export type { NewReplyEntry, ReplyEntry, ReplyEntryPatch, ReplyImportReport };
