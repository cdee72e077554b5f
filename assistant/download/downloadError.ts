/** Why a download did not produce a verified file. */
export type DownloadErrorCode =
  /** The server cannot be reached at all: no network, DNS failure, connection refused, timeout. */
  | 'download-offline'
  /** The server answered with an error status, or the transfer broke off; a partial file may be resumed. */
  | 'download-failed'
  /** The complete file does not have the expected SHA-256: it was deleted. */
  | 'checksum-mismatch'
  /** The complete file does not have the announced or expected size: it was deleted. */
  | 'size-mismatch'
  /** The caller's signal aborted the download; the partial file is kept for a later resume. */
  | 'download-cancelled';

/**
 * An expected failure of {@link downloadFile}. `message` is French, for the agent or IT, and names the URL or
 * file; `cause` is the technical reason, for the log. Plain data: `name`, `code`, `message`, `url`, `file`.
 */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  readonly code: DownloadErrorCode;
  /** The URL being downloaded. */
  readonly url: string;
  /** The destination file. */
  readonly file: string;

  constructor(code: DownloadErrorCode, message: string, options: { url: string; file: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.code = code;
    this.url = options.url;
    this.file = options.file;
  }
}
