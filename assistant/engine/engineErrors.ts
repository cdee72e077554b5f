import { ModelError, type ModelErrorCode } from '../../native-models/modelError.js';
import type { SerializedError } from '../rpc/protocol.js';

/** Rebuilds the engine's expected errors as their own classes on the client side. */
export function reviveEngineError(data: SerializedError): Error | undefined {
  if (data.name === 'ModelError') {
    return new ModelError(data.code as ModelErrorCode, data.message, {
      ...(data.file !== undefined ? { file: data.file } : {}),
      ...(data.cause !== undefined ? { cause: data.cause } : {}),
    });
  }
  return undefined;
}
