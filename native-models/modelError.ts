/** What went wrong while loading or running a model or an embedder. */
export type ModelErrorCode =
  | 'model-not-found'
  | 'model-unreadable'
  | 'model-not-chat'
  | 'model-too-large'
  | 'model-crashed'
  | 'gpu-crashed'
  | 'model-not-loaded'
  | 'model-locked'
  | 'embedder-unreadable'
  | 'download-failed'
  | 'download-offline'
  | 'checksum-mismatch'
  | 'generation-failed'
  | 'engine-unavailable';

/**
 * An expected failure of the model layer. `message` is French, for the agent or IT; `cause` is the technical
 * reason, for the log; `file` names the model file at fault when there is one.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  readonly file?: string;

  constructor(code: ModelErrorCode, message: string, options: { cause?: unknown; file?: string } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    if (options.file !== undefined) this.file = options.file;
  }
}
