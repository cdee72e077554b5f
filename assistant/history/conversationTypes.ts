import { z } from 'zod';

/** Who wrote a message: the agent at the counter, or the assistant's draft. */
export type MessageRole = 'agent' | 'assistant';

/** A fiche a draft relied on, as shown under the answer and in exports. Comes from the corpus, not from the agent. */
export interface MessageSource {
  /** Fiche id, e.g. `F1341`. */
  ficheId: string;
  title: string;
  /** Link to the fiche on its publisher's site. */
  url: string;
  /** The fiche's last update, ISO date (`2026-03-12`) as published. */
  date: string;
  /**
   * `particuliers`, `professionnels`, `associations`… Absent in lines written before it was kept: the reopened card
   * then shows no audience rather than a guessed one.
   */
  audience?: string;
  /**
   * The passages the draft drew on, as its source cards showed them (the cited sentences are found again from the
   * draft's `[n]`). Corpus text, not the agent's: kept as published. Absent in older lines: the card has no passage.
   */
  passages?: MessagePassage[];
}

/** A fiche's passage under a source card. */
export interface MessagePassage {
  /** The extract number the model saw, `[n]`. */
  n?: number;
  text: string;
  sectionPath: string[];
}

/** One `[n]` marker of a draft and the fiche it points to. */
export interface MessageCitation {
  n: number;
  ficheId: string;
}

/** A message as given to {@link ConversationStore.append}: the store adds `id` and `createdAt`. */
export interface NewMessage {
  role: MessageRole;
  /** Free text; masked by the store's `redact` before it reaches the disk. At most 1,000,000 characters. */
  text: string;
  citations?: MessageCitation[];
  sources?: MessageSource[];
  /** Fiches the model read but did not cite (folded under the cards), with their passages. */
  consulted?: MessageSource[];
  /** Generation figures (tokens, milliseconds…): numbers only, so nothing personal can hide in them. */
  stats?: Record<string, number | null>;
  /** The shared server's `host[:port]` when the draft was written there; absent: on this PC. */
  writtenOn?: string;
  /** The draft was stopped before its end (by the agent, or the engine stopped): what is kept is partial. */
  stopped?: boolean;
}

/** A message as stored and read back. */
export interface StoredMessage extends NewMessage {
  id: string;
  /** ISO 8601 instant. */
  createdAt: string;
}

/** A conversation's list entry: what a history panel shows without opening it. */
export interface ConversationSummary {
  id: string;
  /** From the first question, masked, at most ~80 characters; `Nouvelle conversation` before any question. */
  title: string;
  /** ISO 8601 instant. */
  createdAt: string;
  /** ISO 8601 instant of the last message, or `createdAt`. */
  updatedAt: string;
  messageCount: number;
}

/** A whole conversation. */
export interface Conversation extends ConversationSummary {
  messages: StoredMessage[];
  /**
   * Lines that could not be read (a line torn by a crash, a damaged disk block): skipped, never fatal. The UI can
   * say that part of the history is unreadable.
   */
  skippedLines: number;
}

/** Longest message text accepted; a 200,000-character paste fits, a runaway buffer does not. */
export const MAX_MESSAGE_CHARS = 1_000_000;

const sourceSchema = z.object({
  ficheId: z.string().max(200),
  title: z.string().max(2_000),
  url: z.string().max(2_000),
  date: z.string().max(100),
  audience: z.string().max(40).optional(),
  passages: z
    .array(z.object({ n: z.number().int().nonnegative().optional(), text: z.string().max(20_000), sectionPath: z.array(z.string().max(500)).max(20) }))
    .max(50)
    .optional(),
});
const citationSchema = z.object({ n: z.number().int().nonnegative(), ficheId: z.string().max(200) });

/** Validates {@link NewMessage} before anything is written. */
export const newMessageSchema = z.object({
  role: z.enum(['agent', 'assistant']),
  text: z.string().max(MAX_MESSAGE_CHARS),
  citations: z.array(citationSchema).max(500).optional(),
  sources: z.array(sourceSchema).max(200).optional(),
  consulted: z.array(sourceSchema).max(200).optional(),
  stats: z.record(z.string().max(100), z.number().nullable()).optional(),
  writtenOn: z.string().max(300).optional(),
  stopped: z.boolean().optional(),
});

/** First line of a conversation file. */
export const headerLineSchema = z.object({
  type: z.literal('conversation'),
  id: z.string(),
  createdAt: z.string(),
  title: z.string(),
});
export type HeaderLine = z.infer<typeof headerLineSchema>;

/** Every other line of a conversation file. */
export const messageLineSchema = newMessageSchema.extend({
  type: z.literal('message'),
  id: z.string(),
  createdAt: z.string(),
});
export type MessageLine = z.infer<typeof messageLineSchema>;

/** Placeholder title of a conversation without a question yet. */
export const UNTITLED = 'Nouvelle conversation';
const TITLE_CHARS = 80;

/**
 * A list title from a question that is already masked. Masking comes first on purpose: cutting first could split an
 * e-mail address or a number so that the masker no longer recognises the part that stays.
 */
export function titleFrom(maskedQuestion: string): string {
  const flat = maskedQuestion.replace(/\s+/g, ' ').trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The title shown for a conversation: the header's, else the first question's, else {@link UNTITLED}. */
export function conversationTitle(headerTitle: string, messages: readonly Pick<StoredMessage, 'role' | 'text'>[]): string {
  if (headerTitle !== '') return headerTitle;
  for (const message of messages) {
    if (message.role !== 'agent') continue;
    const title = titleFrom(message.text);
    if (title !== '') return title;
  }
  return UNTITLED;
}
