import cliProgress from 'cli-progress';
import { ENGINE_ERRORS } from '../assistant/contract/engineErrors.js';
import { describeCause, isAbort } from '../assistant/contract/errorRegistry.js';
import { frenchDuration } from '../assistant/contract/frenchNumbers.js';
import type { CliContext } from './cliContext.js';

/** Prints a command's result: JSON on stdout with `--json`, else the human rendering. */
export function printResult<T>(ctx: CliContext, data: T, human: (data: T) => string): void {
  process.stdout.write(ctx.json ? `${JSON.stringify(data, null, 2)}\n` : `${human(data)}\n`);
}

/** An error as the agent or IT sees it: the French message, and the code and cause for support. */
export interface CliErrorReport {
  code: string;
  message: string;
  file?: string;
  cause?: string;
}

/** Wrong use of a command (missing or invalid argument), reported like any expected error, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly code = 'usage';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** Errors the CLI reports as expected: the contract's registered classes, and its own usage errors. */
export function errorReport(error: unknown): CliErrorReport {
  if (isAbort(error)) return { code: 'aborted', message: 'Opération annulée.' };
  if (error instanceof CliUsageError || ENGINE_ERRORS.isTransferable(error)) {
    const { code, file } = error as Error & { code: string; file?: unknown };
    return {
      code: code === 'invalid-params' ? 'usage' : code,
      message: error.message,
      ...(typeof file === 'string' ? { file } : {}),
      ...(error.cause !== undefined ? { cause: describeCause(error.cause) } : {}),
    };
  }
  return { code: 'internal', message: 'Erreur inattendue de Guichet. Détails techniques ci-dessous.', cause: describeCause(error) };
}

/** Prints an error and returns the exit code: 2 for a usage error, 130 for Ctrl-C, else 1. */
export function reportError(error: unknown, json: boolean, verbose: boolean): number {
  const report = errorReport(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
  else {
    process.stderr.write(`${report.code === 'aborted' ? '' : 'Erreur : '}${report.message}\n`);
    if (report.cause && (verbose || report.code === 'internal')) process.stderr.write(`  cause : ${report.cause}\n`);
  }
  return report.code === 'usage' ? 2 : report.code === 'aborted' ? 130 : 1;
}

/** Progress of long work: a bar on a terminal, a line every 10 % otherwise, nothing with `--json`. */
export interface ProgressReporter {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/**
 * @param options.eta show the time left (work whose items take long: `guichet eval`); measured from the first
 *   update, so that items already done (a resumed run) do not count as fast.
 */
export function progressReporter(ctx: CliContext, title: string, options: { eta?: boolean } = {}): ProgressReporter {
  if (ctx.json) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${title} [{bar}] {percentage}% | {value}/{total}${options.eta ? ' | reste {eta_formatted}' : ''} {label}`,
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
        // « 3 min 10 s », not « 3m10s »; cli-progress gives seconds (NaN or Infinity before it can tell).
        formatTime: (seconds: number) => (Number.isFinite(seconds) ? frenchDuration(Math.round(seconds) * 1000) : '…'),
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label = '') {
        if (!started) bar.start(total, done, { label });
        started = true;
        bar.setTotal(total);
        bar.update(done, { label });
      },
      stop: () => bar.stop(),
    };
  }
  let lastTenth = -1;
  let start: { at: number; done: number } | undefined;
  return {
    update(done, total, label) {
      start ??= { at: performance.now(), done };
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      const rate = (done - start.done) / Math.max(1, performance.now() - start.at);
      const left = options.eta && rate > 0 && done < total ? `, reste ${frenchDuration((total - done) / rate)}` : '';
      process.stderr.write(`${title} : ${tenth * 10} % (${done}/${total}${left})${label ? ` ${label}` : ''}\n`);
    },
    stop() {},
  };
}

/** Reads a progress stream into a reporter, then returns the stream's result. */
export async function withProgress<R>(ctx: CliContext, title: string, stream: AsyncIterable<{ type: string; label?: string; done?: number; total?: number }> & { result: Promise<R> }): Promise<R> {
  const progress = progressReporter(ctx, title);
  try {
    for await (const event of stream) if (event.type === 'progress') progress.update(event.done ?? 0, event.total ?? 0, event.label);
    return await stream.result;
  } finally {
    progress.stop();
  }
}
