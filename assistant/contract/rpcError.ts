import { ExpectedError } from './expectedError.js';

/** Why the contract layer itself failed, as opposed to the method it carried. */
export type RpcErrorCode = 'unknown-method' | 'invalid-params' | 'transport-closed' | 'internal';

/**
 * A failure of the contract layer, or an unexpected error in a handler (a bug: `internal`). Expected errors of the
 * methods keep their own class (`ModelError`…) across the transport; see `ErrorRegistry`.
 */
export class RpcError extends ExpectedError<RpcErrorCode> {
  override readonly name = 'RpcError';
}
