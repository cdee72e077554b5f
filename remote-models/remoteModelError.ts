/** What went wrong with a shared model server, or with the policy that allows one. */
export type RemoteModelErrorCode =
  /** Machine policy does not allow a shared server (`remote.allowed`). */
  | 'remote-not-allowed'
  /** The URL's host is not in `remote.allowedHosts`. */
  | 'remote-host-not-allowed'
  /** Plain `http://` to a host other than this PC: TLS is required. */
  | 'remote-insecure'
  /** The URL is not a URL. */
  | 'remote-bad-url'
  /** No connection (DNS, refused, reset before any answer, time-out). */
  | 'remote-unreachable'
  /** The server's TLS certificate is not valid for it: never ignored. */
  | 'remote-certificate'
  /** 401 or 403: the API key is missing, wrong or not allowed. */
  | 'remote-unauthorized'
  /** 429: too many requests; `retryAfterSeconds` when the server said. */
  | 'remote-rate-limited'
  /** 5xx. */
  | 'remote-server-error'
  /** The server does not offer the model asked for, or offers none. */
  | 'remote-model-unknown'
  /** The answer's stream stopped before its end, before any text (with text, the partial answer is kept). */
  | 'remote-stream-cut'
  /** An answer that is not what the OpenAI-compatible API returns. */
  | 'remote-bad-response'
  /** The API key file named by policy cannot be read. */
  | 'remote-key-unreadable';

/**
 * An expected failure of the shared model server. `message` is French, for the agent or IT (it names the host, never
 * the API key); `cause` is the technical reason, for the log. Plain data: it crosses the engine boundary revived.
 */
export class RemoteModelError extends Error {
  override readonly name = 'RemoteModelError';
  readonly code: RemoteModelErrorCode;
  /** For `remote-rate-limited`: the server's `Retry-After`, seconds. */
  readonly retryAfterSeconds?: number;

  constructor(code: RemoteModelErrorCode, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
