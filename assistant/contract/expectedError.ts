/**
 * Base of the assistant layer's expected errors: a literal `code`, a French `message` for the agent or IT, a
 * technical `cause` for the log. Plain data (`name`, `code`, `message`) so that it crosses the engine's RPC and is
 * rebuilt as its own class on the other side. Each subclass sets its `name`. (`corpus/` and `native-models/` import
 * nothing of ours and keep their own, same-shaped classes.)
 */
export abstract class ExpectedError<Code extends string> extends Error {
  abstract override readonly name: string;
  readonly code: Code;

  constructor(code: Code, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
  }
}
