/** What the reply library stores: the types, their limits, and the zod schemas that check them. */
import { z } from 'zod';

/** The register of a reply. `neutre` is the default; `chaleureux` warmer, `formel` more administrative. */
export type ReplyTone = 'neutre' | 'chaleureux' | 'formel';
export const REPLY_TONES: readonly ReplyTone[] = ['neutre', 'chaleureux', 'formel'];

/** Longest stored testimony summary, characters: enough to recognise the situation, short enough for a prompt. */
export const TESTIMONY_SUMMARY_MAX = 500;
/** Longest stored reply, characters (Services Publics+ replies are 80–200 words, ~1,300 characters). */
export const REPLY_TEXT_MAX = 5_000;
export const INSTITUTION_MAX = 200;
export const TAGS_MAX = 20;
export const TAG_MAX = 50;

/** One reply that an agent validated, kept as a style example for the next drafts. */
export interface ReplyEntry {
  /** Opaque, stable across exports and imports (`r-…`). */
  id: string;
  /** The institution that answered, as the agent wrote it (« CAF de la Gironde »). */
  institution: string;
  tone?: ReplyTone;
  /** Masked summary of the citizen's testimony, at most {@link TESTIMONY_SUMMARY_MAX} characters. */
  testimony: string;
  /** The validated reply, masked, without the AI mention. */
  reply: string;
  tags: string[];
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
  /** How many drafts used this entry as an example. */
  uses: number;
}

/** What the agent gives to add an accepted draft to the library. */
export interface NewReplyEntry {
  institution: string;
  tone?: ReplyTone;
  /** The testimony answered; masked and shortened to a summary before it is stored. */
  testimony: string;
  reply: string;
  tags?: string[];
}

/** Fields an agent may change; the others are kept. */
export type ReplyEntryPatch = Partial<Pick<ReplyEntry, 'institution' | 'tone' | 'testimony' | 'reply' | 'tags'>>;

const toneSchema = z.enum(REPLY_TONES as [ReplyTone, ...ReplyTone[]]);
const tagsSchema = z.array(z.string().trim().min(1).max(TAG_MAX)).max(TAGS_MAX);

/** Input of `add`: the testimony may be long (it is summarised), the reply may not. */
export const newEntrySchema = z.object({
  institution: z.string().trim().min(1).max(INSTITUTION_MAX),
  tone: toneSchema.optional(),
  testimony: z.string().trim().min(1),
  reply: z.string().trim().min(1).max(REPLY_TEXT_MAX),
  tags: tagsSchema.optional(),
});

/** Input of `update`: any subset, same limits; unknown keys (id, uses…) are refused rather than silently ignored. */
export const patchSchema = newEntrySchema.partial().strict();

/** One stored or imported entry. Imports are checked with this very schema: a file is a library or it is refused. */
export const entrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  institution: z.string().trim().min(1).max(INSTITUTION_MAX),
  tone: toneSchema.optional(),
  // Imports may carry longer texts: they are masked then summarised again on the way in.
  testimony: z.string().max(REPLY_TEXT_MAX),
  reply: z.string().trim().min(1).max(REPLY_TEXT_MAX),
  tags: tagsSchema.default([]),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
  uses: z.number().int().nonnegative().default(0),
});

/** The library file, and the export format (the same, so that an export can be imported or dropped in place). */
export const libraryFileSchema = z.object({
  format: z.literal('guichet-replies').optional(),
  version: z.literal(1),
  entries: z.array(entrySchema).max(100_000),
});

/** The JSON written to disk and exported. */
export interface ReplyLibraryFile {
  format: 'guichet-replies';
  version: 1;
  exportedAt?: string;
  entries: ReplyEntry[];
}

/** Tags trimmed, duplicates (ignoring case and accents) removed, first spelling kept. */
export function cleanTags(tags: readonly string[], fold: (text: string) => string): string[] {
  const seen = new Set<string>();
  return tags.filter((tag) => {
    const key = fold(tag);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A zod-parsed entry without `undefined` optional fields (they would be written as missing anyway). */
export function toEntry(parsed: z.output<typeof entrySchema>): ReplyEntry {
  const { tone, ...rest } = parsed;
  return tone === undefined ? rest : { ...rest, tone };
}

/** Shortens to `max` characters at a word boundary, with « … »: summaries stay readable. */
export function summarize(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
