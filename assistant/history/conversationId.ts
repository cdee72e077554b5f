import { randomBytes } from 'node:crypto';
import { HistoryError } from './historyError.js';

/**
 * Conversation ids are the UTC creation time to the millisecond plus 6 random base-36 characters, e.g.
 * `2026-11-21T10-15-00-123-k3j9x2`: file names sort by creation time, and the strict shape below is also what keeps
 * a caller from reaching outside the conversations folder (no separators, no dots).
 */
const ID_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}-[a-z0-9]{6}$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new time-sortable conversation id for `at`. */
export function newConversationId(at: Date): string {
  const stamp = at.toISOString().replace(/:/g, '-').replace('.', '-').replace(/Z$/, '');
  return `${stamp}-${randomSuffix(6)}`;
}

/** Whether `value` has the shape of a conversation id. */
export function isConversationId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Throws `conversation-id-invalid` unless `value` is a conversation id. */
export function assertConversationId(value: unknown): asserts value is string {
  if (!isConversationId(value)) {
    const shown = typeof value === 'string' ? value.slice(0, 80) : typeof value;
    throw new HistoryError('conversation-id-invalid', `Identifiant de conversation invalide : « ${shown} ».`, {
      cause: `expected ${ID_PATTERN.source}`,
    });
  }
}

/** The creation time encoded in a conversation id. */
export function conversationIdTime(id: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})/.exec(id);
  return match ? new Date(`${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z`) : new Date(0);
}

/** Random lowercase base-36 characters, for id suffixes (not secrets: uniqueness only). */
export function randomSuffix(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}
