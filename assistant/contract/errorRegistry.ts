import type { SerializedError } from './protocol.js';
import { RpcError, type RpcErrorCode } from './rpcError.js';

/** Rebuilds one class of error from its data. */
export type ErrorReviver = (data: SerializedError) => Error;

type ErrorClass = abstract new (...args: never[]) => Error;

const RPC_CODES: readonly RpcErrorCode[] = ['unknown-method', 'invalid-params', 'transport-closed', 'internal'];

/**
 * The error classes that may cross a transport as themselves (vscode's `errors.ts` habit): each registered with the
 * function that rebuilds it. An error of any other class — a bug, or Node's own `ENOENT` in English — crosses as
 * `RpcError` `internal` with a French message, its technical text kept as the cause. One registry serves the engine,
 * the host, the CLI and the browser client alike.
 */
export class ErrorRegistry {
  private readonly classes = new Map<string, { type: ErrorClass; revive: ErrorReviver }>();

  constructor() {
    this.register('RpcError', RpcError, (data) => new RpcError(RPC_CODES.find((c) => c === data.code) ?? 'internal', data.message, causeOf(data)));
  }

  /** Declares a class as transferable under its `name`. Returns the registry, for chaining. */
  register(name: string, type: ErrorClass, revive: ErrorReviver): this {
    this.classes.set(name, { type, revive });
    return this;
  }

  /** Whether an error is of a registered class (and so has a French message meant for the agent). */
  isTransferable(error: unknown): error is Error & { code: string } {
    if (!(error instanceof Error)) return false;
    const entry = this.classes.get(error.name);
    return entry !== undefined && error instanceof entry.type && typeof (error as { code?: unknown }).code === 'string';
  }

  /** An error as plain data; an abort stays an abort; anything unregistered becomes `RpcError` `internal`. */
  serialize(error: unknown): SerializedError {
    if (isAbort(error)) return { name: 'AbortError', code: 'aborted', message: 'Opération annulée.' };
    if (this.isTransferable(error)) {
      const { file, url } = error as { file?: unknown; url?: unknown };
      return {
        name: error.name,
        code: error.code,
        message: error.message,
        ...(typeof file === 'string' ? { file } : {}),
        ...(typeof url === 'string' ? { url } : {}),
        ...(error.cause !== undefined ? { cause: describeCause(error.cause) } : {}),
      };
    }
    return { name: 'RpcError', code: 'internal', message: 'Erreur interne du moteur.', cause: describeCause(error) };
  }

  /** Rebuilds an error from its data: its own class when registered, an `AbortError`, else `RpcError` `internal`. */
  revive(data: SerializedError): Error {
    if (data.name === 'AbortError') return abortError();
    const entry = this.classes.get(data.name);
    if (entry) return entry.revive(data);
    return new RpcError('internal', data.message, { cause: data.cause ?? `${data.name}/${data.code}` });
  }
}

/** The error an aborted call rejects with (a `DOMException` named `AbortError`, as `fetch` does). */
export function abortError(reason?: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('Opération annulée.', 'AbortError');
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** `{ cause, file }` of serialised data, for a class's constructor options. */
export function causeOf(data: SerializedError): { cause?: string; file?: string } {
  return { ...(data.cause !== undefined ? { cause: data.cause } : {}), ...(data.file !== undefined ? { file: data.file } : {}) };
}

/** A cause as text for the log: an error's stack or message, a string, or JSON — never « [object Object] ». */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause === undefined ? '' : `\n  cause : ${describeCause(cause.cause)}`;
    return `${cause.stack ?? `${cause.name}: ${cause.message}`}${inner}`;
  }
  if (typeof cause === 'string') return cause;
  try {
    return JSON.stringify(cause) ?? String(cause);
  } catch {
    return String(cause);
  }
}
