import { ExpectedError } from './expectedError.js';
import type { SerializedError } from './protocol.js';

/** Why the RPC layer itself failed, as opposed to the method it carried. */
export type RpcErrorCode = 'unknown-method' | 'invalid-params' | 'transport-closed' | 'internal';

/**
 * A failure of the RPC layer or an unexpected error in a handler (a bug). Expected errors of the methods keep their
 * own class (`ModelError`…) across the transport; see {@link ErrorReviver}.
 */
export class RpcError extends ExpectedError<RpcErrorCode> {
  override readonly name = 'RpcError';
}

/** Rebuilds an expected error from its data; returns `undefined` for names it does not know. */
export type ErrorReviver = (data: SerializedError) => Error | undefined;

const EXPECTED_NAME = /Error$/;

/**
 * Turns an error into plain data. An error with a `name` ending in « Error » and a string `code` is expected and keeps
 * both; an abort stays an abort; anything else is a bug, sent as `RpcError` `internal` with its stack as the cause.
 */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error && error.name === 'AbortError') {
    return { name: 'AbortError', code: 'aborted', message: 'Opération annulée.' };
  }
  if (error instanceof Error && EXPECTED_NAME.test(error.name) && typeof (error as { code?: unknown }).code === 'string') {
    const { code, file } = error as Error & { code: string; file?: unknown };
    return {
      name: error.name,
      code,
      message: error.message,
      ...(typeof file === 'string' ? { file } : {}),
      ...(error.cause !== undefined ? { cause: describeCause(error.cause) } : {}),
    };
  }
  return {
    name: 'RpcError',
    code: 'internal',
    message: 'Erreur interne du moteur.',
    cause: error instanceof Error ? (error.stack ?? error.message) : String(error),
  };
}

/**
 * Rebuilds an error from its data: the reviver's class when it knows the name, an `AbortError` for an abort, else an
 * {@link RpcError} carrying the original code in its message's cause.
 */
export function reviveError(data: SerializedError, reviver?: ErrorReviver): Error {
  const revived = reviver?.(data);
  if (revived) return revived;
  if (data.name === 'AbortError') return abortError();
  const code: RpcErrorCode = (['unknown-method', 'invalid-params', 'transport-closed'] as const).find((c) => c === data.code) ?? 'internal';
  return new RpcError(code, data.message, { cause: data.cause ?? `${data.name}/${data.code}` });
}

/** The error an aborted call rejects with (a `DOMException` named `AbortError`, as `fetch` does). */
export function abortError(reason?: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('Opération annulée.', 'AbortError');
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}
