import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assertConversationId, conversationIdTime, isConversationId, newConversationId, randomSuffix } from './conversationId.js';
import { ConversationIndex } from './conversationIndex.js';
import {
  conversationTitle,
  headerLineSchema,
  messageLineSchema,
  newMessageSchema,
  titleFrom,
  type Conversation,
  type ConversationSummary,
  type HeaderLine,
  type MessageLine,
  type NewMessage,
  type StoredMessage,
} from './conversationTypes.js';
import { HistoryError } from './historyError.js';
import { appendJsonl, createJsonl, readJsonl, syncDirectory, type JsonlRead } from './jsonlFile.js';
import { historyEncryptedError, type LineCipher } from './lineCipher.js';
import { KeyedQueue } from './keyedQueue.js';

/** What a {@link ConversationStore} needs. The shell's composition file builds it once. */
export interface ConversationStoreOptions {
  /** The user's data directory; conversations go to `<dataDir>/conversations/<id>.jsonl`. */
  dataDir: string;
  /**
   * Masks personal data in a text (the privacy module's `maskPii(text).text`). Applied to every free text before it
   * is written (questions, drafts, titles), and again to exports.
   */
  redact: (text: string) => string;
  /** Clock, for tests; default `new Date()`. */
  now?: () => Date;
  /**
   * Encryption at rest (the desktop app's key, wrapped by the OS keystore); absent: plain files. Without it, a
   * conversation the desktop app sealed is refused with `history-encrypted`, never shown half-read.
   */
  cipher?: LineCipher;
}

/** One page of the history list. */
export interface ConversationPage {
  /** Number of conversations on the PC. */
  total: number;
  /** Newest first. */
  conversations: ConversationSummary[];
}

/**
 * The agent's conversations, one append-only JSON Lines file each: a header line, then one line per message, each
 * written in one `write` and `fsync`ed before `append` resolves. A `kill -9` or a power cut loses at most the message
 * being written; a torn or damaged line is skipped on reading, never failing the conversation. Nothing personal is
 * written unmasked: every free text passes through `redact` first. Appends and deletes of one conversation are
 * serialised within the process.
 */
export class ConversationStore {
  readonly #folder: string;
  readonly #redact: (text: string) => string;
  readonly #now: () => Date;
  readonly #queue = new KeyedQueue();
  readonly #index: ConversationIndex;
  readonly #cipher: LineCipher | undefined;

  constructor(options: ConversationStoreOptions) {
    this.#folder = join(options.dataDir, 'conversations');
    this.#redact = options.redact;
    this.#now = options.now ?? (() => new Date());
    this.#cipher = options.cipher;
    this.#index = new ConversationIndex(this.#folder, options.cipher);
  }

  /**
   * Starts a conversation. `firstQuestion` only sets its title (masked, cut to about 80 characters); append the
   * question itself with {@link append}. Without it, the first agent message titles the conversation.
   */
  async create(firstQuestion?: string): Promise<ConversationSummary> {
    const createdAt = this.#now();
    const title = firstQuestion === undefined ? '' : titleFrom(this.#redact(firstQuestion));
    await this.#writing(() => mkdir(this.#folder, { recursive: true, mode: 0o700 }));
    for (let attempt = 0; ; attempt += 1) {
      const id = newConversationId(createdAt);
      const header: HeaderLine = { type: 'conversation', id, createdAt: createdAt.toISOString(), title };
      try {
        await createJsonl(this.#file(id), header, this.#cipher);
      } catch (error) {
        // Two conversations in the same millisecond with the same 6 random characters: draw again.
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
        throw unwritable(this.#folder, error);
      }
      const iso = header.createdAt;
      return { id, title: conversationTitle(title, []), createdAt: iso, updatedAt: iso, messageCount: 0 };
    }
  }

  /** Appends a message (text masked) and resolves once it is on disk. Throws `conversation-not-found` after a delete. */
  async append(id: string, message: NewMessage): Promise<StoredMessage> {
    assertConversationId(id);
    const parsed = newMessageSchema.safeParse(message);
    if (!parsed.success) {
      throw new HistoryError('history-entry-invalid', 'Message non enregistré : son format est invalide.', { cause: parsed.error });
    }
    const now = this.#now();
    const stored: StoredMessage = {
      ...parsed.data,
      id: `m${now.getTime().toString(36)}${randomSuffix(4)}`,
      createdAt: now.toISOString(),
      text: this.#redact(parsed.data.text),
    };
    const line: MessageLine = { type: 'message', ...stored };
    await this.#queue.run(id, async () => {
      try {
        await appendJsonl(this.#file(id), line, this.#cipher ? { cipher: this.#cipher } : {});
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id, error);
        throw unwritable(this.#file(id), error);
      }
    });
    return stored;
  }

  /** The whole conversation, with the lines that could not be read counted in `skippedLines`. */
  async get(id: string): Promise<Conversation> {
    assertConversationId(id);
    let read: JsonlRead;
    try {
      read = await readJsonl(this.#file(id), 0, this.#cipher);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id, error);
      throw new HistoryError('history-unwritable', `Impossible de lire la conversation ${id}.`, { cause: error });
    }
    if (read.sealed > 0) throw historyEncryptedError();
    let header: HeaderLine | undefined;
    const messages: StoredMessage[] = [];
    let skippedLines = read.unparsable;
    read.records.forEach((record, index) => {
      const asHeader = index === 0 ? headerLineSchema.safeParse(record) : undefined;
      if (asHeader?.success) {
        header = asHeader.data;
        return;
      }
      const asMessage = messageLineSchema.safeParse(record);
      if (!asMessage.success) {
        skippedLines += 1;
        return;
      }
      const { type: _type, ...message } = asMessage.data;
      messages.push(message);
    });
    // A lost header (torn at creation, damaged block) does not lose the messages: the id still dates the conversation.
    const createdAt = header?.createdAt ?? conversationIdTime(id).toISOString();
    const updatedAt = messages.reduce((latest, m) => (m.createdAt > latest ? m.createdAt : latest), createdAt);
    const title = conversationTitle(header?.title ?? '', messages);
    return { id, title, createdAt, updatedAt, messageCount: messages.length, messages, skippedLines };
  }

  /**
   * One page of conversations, newest first (ids sort by creation time). Reads only the page's files, and of those
   * only the lines appended since the summary cache last saw them.
   */
  async list(options: { limit?: number; offset?: number } = {}): Promise<ConversationPage> {
    const limit = Math.max(0, Math.floor(options.limit ?? 50));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const ids = await this.#ids();
    await this.#index.retain(new Set(ids));
    const conversations: ConversationSummary[] = [];
    for (const id of ids.slice(offset, offset + limit)) {
      try {
        conversations.push(await this.#queue.run(id, () => this.#index.refresh(id)));
      } catch (error) {
        // Deleted between the directory listing and now: simply not listed.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        if (error instanceof HistoryError) throw error;
        throw new HistoryError('history-unwritable', `Impossible de lire la conversation ${id}.`, { cause: error });
      }
    }
    // The cache is an optimisation: failing to save it must not fail the list.
    await this.#index.flush().catch(() => undefined);
    return { total: ids.length, conversations };
  }

  /** Deletes a conversation for good: its file, and its title from the summary cache. */
  async delete(id: string): Promise<void> {
    assertConversationId(id);
    await this.#queue.run(id, async () => {
      try {
        await unlink(this.#file(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(id, error);
        throw unwritable(this.#file(id), error);
      }
      await syncDirectory(this.#folder);
      await this.#index.forget(id);
      await this.#writing(() => this.#index.flush());
    });
  }

  /** The conversation as a French Markdown document, masked again. `timeZone`: IANA zone of dates, default the PC's. */
  async exportMarkdown(id: string, options: { timeZone?: string } = {}): Promise<string> {
    const { conversationToMarkdown } = await import('./conversationExport.js');
    return conversationToMarkdown(await this.get(id), { redact: this.#redact, exportedAt: this.#now(), ...options });
  }

  /** The conversation as JSON (`format: 'guichet-conversation'`, `version: 1`), masked again. */
  async exportJson(id: string): Promise<string> {
    const { conversationToJson } = await import('./conversationExport.js');
    return conversationToJson(await this.get(id), { redact: this.#redact, exportedAt: this.#now() });
  }

  #file(id: string): string {
    return join(this.#folder, `${id}.jsonl`);
  }

  /** Conversation ids on disk, newest first; foreign files in the folder are ignored. */
  async #ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.#folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new HistoryError('history-unwritable', `Impossible de lire l'historique dans ${this.#folder}.`, { cause: error });
    }
    return names
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => name.slice(0, -'.jsonl'.length))
      .filter(isConversationId)
      .sort()
      .reverse();
  }

  async #writing<T>(task: () => Promise<T>): Promise<T> {
    try {
      return await task();
    } catch (error) {
      throw error instanceof HistoryError ? error : unwritable(this.#folder, error);
    }
  }
}

function notFound(id: string, cause: unknown): HistoryError {
  return new HistoryError('conversation-not-found', `Conversation introuvable : ${id} (supprimée ?).`, { cause });
}

function unwritable(path: string, cause: unknown): HistoryError {
  return new HistoryError('history-unwritable', `Impossible d'enregistrer l'historique dans ${path}.`, { cause });
}
