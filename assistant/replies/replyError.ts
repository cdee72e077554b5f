import { ExpectedError } from '../contract/expectedError.js';

/** Why a Services Publics+ reply operation failed. */
export type ReplyErrorCode =
  /** The testimony is empty (or only blanks): there is nothing to answer. */
  | 'reply-testimony-empty'
  /** The draft request does not have the expected shape (unknown tone, institution too long…). */
  | 'reply-request-invalid'
  /** No library entry with this id (never added, or deleted). */
  | 'reply-not-found'
  /** A library entry to add or a patch does not have the expected shape: nothing was written. */
  | 'reply-entry-invalid'
  /** An imported file is not a reply library (bad JSON, wrong shape): the library is unchanged. */
  | 'reply-import-invalid'
  /** The library file cannot be written or read (permissions, disk full, read-only medium). */
  | 'reply-library-unwritable';

/** Every code, for the engine's error reviver. */
export const REPLY_ERROR_CODES: readonly ReplyErrorCode[] = [
  'reply-testimony-empty',
  'reply-request-invalid',
  'reply-not-found',
  'reply-entry-invalid',
  'reply-import-invalid',
  'reply-library-unwritable',
];

/**
 * An expected failure of the reply library or the reply drafting: French `message` for the agent, technical `cause`
 * for the log. Plain data (`name`, `code`, `message`) so that it crosses the engine's RPC like the other errors.
 */
export class ReplyError extends ExpectedError<ReplyErrorCode> {
  override readonly name = 'ReplyError';
}
