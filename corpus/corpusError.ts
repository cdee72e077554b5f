/** What went wrong while reading, importing or searching the fiches. */
export type CorpusErrorCode =
  | 'feed-not-found'
  | 'feed-not-zip'
  | 'feed-truncated'
  | 'feed-empty'
  | 'feed-download-failed'
  | 'xml-invalid'
  | 'schema-unsupported'
  | 'data-dir-unwritable'
  | 'index-missing'
  | 'index-damaged'
  | 'index-too-new'
  | 'index-busy'
  | 'fiche-not-found'
  | 'query-invalid'
  | 'import-cancelled';

/**
 * An expected failure of the corpus layer. `message` is French, for the agent or IT; `cause` is the technical
 * reason, for the log; `file` names the file at fault when there is one.
 */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';
  readonly code: CorpusErrorCode;
  readonly file?: string;

  constructor(code: CorpusErrorCode, message: string, options: { cause?: unknown; file?: string } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
  }
}
