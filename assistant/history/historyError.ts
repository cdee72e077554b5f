import { ExpectedError } from '../contract/expectedError.js';

/** Why a conversation or feedback operation failed. */
export type HistoryErrorCode =
  /** No conversation with this id (never created, or deleted). */
  | 'conversation-not-found'
  /** The id is not one of ours (wrong shape, path separators, `..`): refused before touching the disk. */
  | 'conversation-id-invalid'
  /** A message or feedback entry does not have the expected shape: nothing was written. */
  | 'history-entry-invalid'
  /** The data directory cannot be written (permissions, disk full, read-only medium). */
  | 'history-unwritable'
  /** Lines sealed with the desktop app's key, read by a shell that has no key (CLI, web shell). */
  | 'history-encrypted';

/**
 * An expected failure of the conversation or feedback stores: French `message` for the agent, technical `cause` for
 * the log. Plain data (`name`, `code`, `message`) so that it crosses the engine's RPC like the other errors.
 */
export class HistoryError extends ExpectedError<HistoryErrorCode> {
  override readonly name = 'HistoryError';
}
