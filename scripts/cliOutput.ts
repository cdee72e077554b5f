import cliProgress from 'cli-progress';
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

const EXPECTED_ERRORS = new Set(['CorpusError', 'ModelError', 'SettingsError', 'AssistantError', 'HistoryError', 'DownloadError', 'ReplyError', 'RpcError', 'CliUsageError']);

export function errorReport(error: unknown): CliErrorReport {
  if (error instanceof Error && EXPECTED_ERRORS.has(error.name)) {
    const { code, file } = error as Error & { code?: string; file?: string };
    const cause = error.cause === undefined ? undefined : String(error.cause instanceof Error ? error.cause.message : error.cause);
    return { code: code ?? 'error', message: error.message, ...(file ? { file } : {}), ...(cause ? { cause } : {}) };
  }
  const technical = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: 'internal', message: 'Erreur inattendue de Guichet. Détails techniques ci-dessous.', cause: technical };
}

/** Prints an error and returns the exit code. */
export function reportError(error: unknown, json: boolean, verbose: boolean): number {
  const report = errorReport(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: report }, null, 2)}\n`);
  else {
    process.stderr.write(`Erreur : ${report.message}\n`);
    if (report.cause && (verbose || report.code === 'internal')) process.stderr.write(`  cause : ${report.cause}\n`);
  }
  return report.code === 'usage' ? 2 : 1;
}

/** Wrong use of a command (missing or invalid argument), reported like any expected error. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly code = 'usage';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** Progress of long work: a bar on a terminal, a line every 10 % otherwise, nothing with `--json`. */
export interface ProgressReporter {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

export function progressReporter(ctx: CliContext, title: string): ProgressReporter {
  if (ctx.json) return { update() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% | {value}/{total} {label}`, stream: process.stderr, hideCursor: true },
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
  return {
    update(done, total, label) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      process.stderr.write(`${title} : ${tenth * 10} % (${done}/${total})${label ? ` ${label}` : ''}\n`);
    },
    stop() {},
  };
}
