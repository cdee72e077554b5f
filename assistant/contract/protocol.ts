/**
 * The messages of Guichet's generic RPC: one request, then any number of events, then exactly one result or error,
 * all tagged with the request's id; a cancel travels the other way. The same messages cross every transport
 * (child_process IPC today, Electron MessagePort and HTTP later), so they are plain data: no classes, no functions.
 */

/** A request's id, unique per client; chosen by the client. */
export type RpcId = number;

export interface RpcRequestMessage {
  kind: 'request';
  id: RpcId;
  method: string;
  params: unknown;
}

export interface RpcResultMessage {
  kind: 'result';
  id: RpcId;
  value: unknown;
}

export interface RpcErrorMessage {
  kind: 'error';
  id: RpcId;
  error: SerializedError;
}

/** One event of a streaming request (a generated token, a load's progress…), before its result. */
export interface RpcEventMessage {
  kind: 'event';
  id: RpcId;
  event: unknown;
}

/** The client no longer wants the answer: the server aborts the request's signal. */
export interface RpcCancelMessage {
  kind: 'cancel';
  id: RpcId;
}

export type RpcMessage = RpcRequestMessage | RpcResultMessage | RpcErrorMessage | RpcEventMessage | RpcCancelMessage;

/**
 * An error as data. `name` selects the class rebuilt on the other side (`ModelError`…), `code` is its literal code,
 * `message` the French text for the agent, `cause` the technical reason for the log.
 */
export interface SerializedError {
  name: string;
  code: string;
  message: string;
  file?: string;
  /** The URL at fault (downloads). */
  url?: string;
  cause?: string;
}

/**
 * One method of a contract: what it takes, what it returns and, for a stream, the events it sends before returning.
 * `E = never` for a plain call.
 */
export interface RpcMethod<P, R, E = never> {
  params: P;
  result: R;
  event: E;
}

/** A map of method names to {@link RpcMethod}s. Declare contracts with `type`, not `interface`, so they fit. */
export type RpcContract = Record<string, RpcMethod<unknown, unknown, unknown>>;

/** Method names of a contract. */
export type RpcMethodName<C extends RpcContract> = keyof C & string;

const KINDS = new Set(['request', 'result', 'error', 'event', 'cancel']);

/** Whether a value received from a transport is one of our messages (anything else is ignored). */
export function isRpcMessage(value: unknown): value is RpcMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, id } = value as { kind?: unknown; id?: unknown };
  return typeof kind === 'string' && KINDS.has(kind) && typeof id === 'number';
}
