import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { isConversationId } from '../history/conversationId.js';
import { HistoryError } from '../history/historyError.js';
import { appendJsonl, readJsonl, type JsonlRead } from '../history/jsonlFile.js';
import { historyEncryptedError, type LineCipher } from '../history/lineCipher.js';
import { KeyedQueue } from '../history/keyedQueue.js';
import { computeFeedbackStats, type FeedbackEntry, type FeedbackStats, type FeedbackVerdict } from './feedbackStats.js';

/** What a {@link FeedbackStore} needs. The shell's composition file builds it once. */
export interface FeedbackStoreOptions {
  /** The user's data directory; feedback goes to `<dataDir>/feedback.jsonl`. */
  dataDir: string;
  /** Masks personal data in the agent's comments before they are written (the privacy module's masker). */
  redact: (text: string) => string;
  /** Clock, for tests; default `new Date()`. */
  now?: () => Date;
  /** IANA zone that decides the weeks of {@link FeedbackStore.stats}; default the PC's. */
  timeZone?: string;
  /** Encryption at rest, as the conversations' (`ConversationStoreOptions.cipher`). */
  cipher?: LineCipher;
}

/** What the UI sends when the agent copies, edits or discards a draft. */
export interface FeedbackInput {
  conversationId: string;
  messageId: string;
  verdict: FeedbackVerdict;
  /** Seconds from the question to the copy, ≥ 0; leave out when the draft was not copied. */
  secondsToCopy?: number;
  /** Free remark, at most 2,000 characters; masked before it is written. */
  comment?: string;
}

const inputSchema = z.object({
  conversationId: z.string().refine(isConversationId),
  messageId: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
  verdict: z.enum(['used-as-is', 'edited', 'discarded']),
  secondsToCopy: z.number().finite().nonnegative().optional(),
  comment: z.string().max(2_000).optional(),
});
const entrySchema = inputSchema.extend({ conversationId: z.string(), messageId: z.string(), at: z.string() });

/**
 * The agent's verdicts on drafts, in one append-only `feedback.jsonl` on the PC, with the same crash safety as the
 * conversations (one line per entry, `fsync`ed; a torn last line is ignored). Figures are computed on the PC and never
 * leave it. Deleting a conversation keeps its feedback: the figures are the agent's, and entries hold no question or
 * answer text, only ids, a verdict, a time and a masked comment.
 */
export class FeedbackStore {
  readonly #dataDir: string;
  readonly #path: string;
  readonly #redact: (text: string) => string;
  readonly #now: () => Date;
  readonly #timeZone: string | undefined;
  readonly #queue = new KeyedQueue();
  readonly #cipher: LineCipher | undefined;

  constructor(options: FeedbackStoreOptions) {
    this.#dataDir = options.dataDir;
    this.#path = join(options.dataDir, 'feedback.jsonl');
    this.#redact = options.redact;
    this.#cipher = options.cipher;
    this.#now = options.now ?? (() => new Date());
    this.#timeZone = options.timeZone;
  }

  /** Records one verdict and resolves once it is on disk. A second verdict on the same draft replaces the first in the figures. */
  async record(input: FeedbackInput): Promise<FeedbackEntry> {
    const parsed = inputSchema.safeParse(input);
    if (!parsed.success) {
      throw new HistoryError('history-entry-invalid', 'Retour non enregistré : son format est invalide.', { cause: parsed.error });
    }
    const { comment, secondsToCopy, ...rest } = parsed.data;
    const entry: FeedbackEntry = {
      ...rest,
      ...(secondsToCopy === undefined ? {} : { secondsToCopy }),
      ...(comment === undefined ? {} : { comment: this.#redact(comment) }),
      at: this.#now().toISOString(),
    };
    await this.#queue.run('feedback', async () => {
      try {
        await mkdir(this.#dataDir, { recursive: true, mode: 0o700 });
        await appendJsonl(this.#path, entry, { create: true, ...(this.#cipher ? { cipher: this.#cipher } : {}) });
      } catch (cause) {
        throw new HistoryError('history-unwritable', `Impossible d'enregistrer le retour dans ${this.#path}.`, { cause });
      }
    });
    return entry;
  }

  /** Every readable entry, oldest first; `skippedLines` counts damaged lines. */
  async entries(): Promise<{ entries: FeedbackEntry[]; skippedLines: number }> {
    let read: JsonlRead;
    try {
      read = await readJsonl(this.#path, 0, this.#cipher);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], skippedLines: 0 };
      throw new HistoryError('history-unwritable', `Impossible de lire les retours dans ${this.#path}.`, { cause });
    }
    if (read.sealed > 0) throw historyEncryptedError();
    const entries: FeedbackEntry[] = [];
    let skippedLines = read.unparsable;
    for (const record of read.records) {
      const parsed = entrySchema.safeParse(record);
      if (parsed.success) entries.push(withoutUndefined(parsed.data));
      else skippedLines += 1;
    }
    return { entries, skippedLines };
  }

  /** The agent's figures, optionally from `since` on: share of drafts used as-is, median time to copy, per week. */
  async stats(options: { since?: Date } = {}): Promise<FeedbackStats> {
    const { entries } = await this.entries();
    return computeFeedbackStats(entries, { ...options, ...(this.#timeZone ? { timeZone: this.#timeZone } : {}) });
  }
}

function withoutUndefined(entry: z.infer<typeof entrySchema>): FeedbackEntry {
  const { secondsToCopy, comment, ...rest } = entry;
  return { ...rest, ...(secondsToCopy === undefined ? {} : { secondsToCopy }), ...(comment === undefined ? {} : { comment }) };
}
