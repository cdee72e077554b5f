import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DownloadError } from './downloadError.js';

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** `http:` or `https:` URL; redirects are followed. */
  url: string;
  /** Final path. Nothing is written there until the file is complete and verified; `${destination}.part` holds the transfer. */
  destination: string;
  /** Expected SHA-256 of the whole file, hexadecimal (case ignored). Without it, only the size is checked. */
  sha256?: string;
  /** Expected size in bytes; checked against the server's announcement before the transfer and at the end. */
  expectedSize?: number;
  /** Aborts the transfer with `download-cancelled`; the `.part` file is kept so that a later call resumes it. */
  signal?: AbortSignal;
  /** Called as bytes arrive: bytes of the file held so far (resumed part included) and the total when announced. */
  onProgress?: (received: number, total: number | undefined) => void;
  /** Milliseconds without any byte (connecting or transferring) before giving up as offline. Default 30 000, min 1. */
  timeoutMs?: number;
}

/** A downloaded and verified file. */
export interface DownloadResult {
  /** The destination path. */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its SHA-256, lowercase hexadecimal. */
  sha256: string;
  /** Whether bytes from an earlier interrupted transfer (`.part`) were kept instead of downloaded again. */
  resumed: boolean;
}

/** Connection failures that mean "no network here", not "this server is broken". */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH',
  'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** A transfer that breaks after making progress is resumed at once, this many times at most. */
const MAX_ATTEMPTS = 4;

/** The transfer broke after the server started answering: the `.part` file is usable for a resume. */
class BrokenTransfer extends Error {
  constructor(readonly progressed: boolean, cause: unknown) {
    super('transfer interrupted', { cause });
  }
}

/**
 * Downloads `url` to `destination`, resuming an earlier `.part` file with an HTTP `Range` request when the server
 * allows it (a server that answers 200 restarts from zero). The file is verified (size, SHA-256 over the whole
 * file) and only then renamed to `destination`, atomically; a file that fails verification is deleted. A transfer
 * that breaks after making progress is resumed at once, up to three times. Do not run two downloads to the same
 * destination at once.
 *
 * @throws DownloadError `download-offline`, `download-failed`, `checksum-mismatch`, `size-mismatch` or
 *   `download-cancelled`, with a French message naming the URL or the file.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const { url, destination } = options;
  const part = `${destination}.part`;
  const fail = (code: DownloadError['code'], message: string, cause?: unknown): DownloadError =>
    new DownloadError(code, message, { url, file: destination, cause });
  try {
    await mkdir(dirname(destination), { recursive: true });
  } catch (error) {
    throw fail('download-failed', `Impossible de créer le dossier de ${destination}.`, error);
  }

  for (let attempt = 1; ; attempt++) {
    try {
      return { ...(await attemptDownload(options, part, fail)), path: destination };
    } catch (error) {
      if (!(error instanceof BrokenTransfer)) throw error;
      if (!error.progressed || attempt >= MAX_ATTEMPTS) {
        throw fail(
          'download-failed',
          `Le téléchargement de ${url} s'est interrompu. Relancez-le : il reprendra là où il s'est arrêté.`,
          error.cause,
        );
      }
    }
  }
}

type Fail = (code: DownloadError['code'], message: string, cause?: unknown) => DownloadError;

/** One HTTP request: resume or restart, stream to `.part`, verify, rename. */
async function attemptDownload(
  options: DownloadFileOptions,
  part: string,
  fail: Fail,
): Promise<Omit<DownloadResult, 'path'>> {
  const { url, signal } = options;
  let offset = await fileSize(part);
  if (options.expectedSize !== undefined && offset > options.expectedSize) {
    await rm(part, { force: true });
    offset = 0;
  }

  const idle = new IdleTimeout(options.timeoutMs ?? 30_000);
  const transferSignal = signal === undefined ? idle.signal : AbortSignal.any([signal, idle.signal]);
  const explainAbort = (error: unknown): DownloadError | undefined => {
    if (signal?.aborted) return fail('download-cancelled', `Téléchargement de ${url} annulé.`, signal.reason);
    if (idle.signal.aborted) {
      return fail('download-offline', `Le serveur ${hostOf(url)} ne répond pas (délai dépassé) : vérifiez la connexion réseau.`, error);
    }
    return undefined;
  };

  let response: Response;
  try {
    signal?.throwIfAborted();
    response = await fetch(url, {
      // identity: the bytes on the wire must be the file's bytes, for sizes, ranges and the checksum.
      headers: { 'accept-encoding': 'identity', ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) },
      redirect: 'follow',
      signal: transferSignal,
    });
  } catch (error) {
    idle.clear();
    throw explainAbort(error) ?? connectionError(url, error, fail);
  }

  try {
    const range = parseContentRange(response.headers.get('content-range'));
    if (response.status === 416 && offset > 0) {
      // The part is not a prefix of this file any more (or is all of it): check it, else start again.
      await response.body?.cancel();
      if (range?.total === offset) return await finish(options, part, offset, await hashFile(part), true, fail);
      await rm(part, { force: true });
      throw new BrokenTransfer(true, new Error(`HTTP 416 for a ${offset}-byte part`));
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw fail('download-failed', `Le serveur a refusé le téléchargement de ${url} (HTTP ${response.status}).`);
    }

    const resuming = response.status === 206 && range?.start === offset && offset > 0;
    if (response.status === 206 && !resuming) {
      await response.body.cancel();
      await rm(part, { force: true });
      throw new BrokenTransfer(true, new Error(`unexpected Content-Range ${response.headers.get('content-range')}`));
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const total = resuming ? range?.total : Number.isFinite(length) ? length : undefined;
    if (total !== undefined && options.expectedSize !== undefined && total !== options.expectedSize) {
      await response.body.cancel();
      await rm(part, { force: true });
      throw fail('size-mismatch', `Le fichier proposé par ${url} fait ${total} octets au lieu de ${options.expectedSize} attendus.`);
    }

    const hash = resuming ? await hashFile(part) : createHash('sha256');
    idle.reset(); // hashing a large part is local work, not a silent server
    let received = resuming ? offset : 0;
    const startedAt = received;
    report(options, received, total);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        // Stop at once on abort: chunks already buffered must not complete a cancelled download.
        if (transferSignal.aborted) return done(transferSignal.reason as Error);
        idle.reset();
        hash.update(chunk);
        received += chunk.length;
        report(options, received, total);
        done(null, chunk);
      },
    });
    const sink = createWriteStream(part, { flags: resuming ? 'a' : 'w' });
    try {
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      await pipeline(body, counter, sink);
    } catch (error) {
      // pipeline rejects on the first error, possibly while a write to the .part is still in flight: a retry that
      // measured and appended to the file before that write landed would corrupt it. Wait for the file to close.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      const aborted = explainAbort(error);
      if (aborted !== undefined) throw aborted;
      if (isWriteError(error)) throw fail('download-failed', `Impossible d'écrire ${part} (disque plein ou protégé ?).`, error);
      throw new BrokenTransfer(received > startedAt, error);
    }
    if (total !== undefined && received < total) throw new BrokenTransfer(received > startedAt, new Error('body ended early'));
    if (total !== undefined && received !== total) {
      await rm(part, { force: true });
      throw fail('size-mismatch', `Le fichier reçu de ${url} fait ${received} octets au lieu des ${total} annoncés.`);
    }
    return await finish(options, part, received, hash, resuming, fail);
  } finally {
    idle.clear();
  }
}

/** Verifies the complete `.part` file against the expected size and checksum, then renames it into place. */
async function finish(
  options: DownloadFileOptions,
  part: string,
  bytes: number,
  hash: Hash,
  resumed: boolean,
  fail: Fail,
): Promise<Omit<DownloadResult, 'path'>> {
  const { url, destination } = options;
  if (options.expectedSize !== undefined && bytes !== options.expectedSize) {
    await rm(part, { force: true });
    throw fail('size-mismatch', `Le fichier reçu de ${url} fait ${bytes} octets au lieu de ${options.expectedSize} attendus ; il a été supprimé.`);
  }
  const sha256 = hash.digest('hex');
  if (options.sha256 !== undefined && sha256 !== options.sha256.trim().toLowerCase()) {
    await rm(part, { force: true });
    throw fail(
      'checksum-mismatch',
      `Le fichier reçu de ${url} ne correspond pas à l'empreinte attendue (fichier altéré ou changé) ; il a été supprimé.`,
      new Error(`sha256 ${sha256}, expected ${options.sha256}`),
    );
  }
  try {
    // Flushed before the rename, so that a power cut never leaves a truncated file under the final name.
    const handle = await open(part, 'r+');
    await handle.sync().finally(() => handle.close());
    await rename(part, destination);
  } catch (error) {
    throw fail('download-failed', `Impossible d'enregistrer ${destination}.`, error);
  }
  return { bytes, sha256, resumed };
}

/** Aborts its signal after `ms` without a call to `reset`. */
class IdleTimeout {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = Math.max(1, ms);
    this.reset();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  reset(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#controller.abort(new Error(`no data for ${this.#ms} ms`)), this.#ms);
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

function connectionError(url: string, error: unknown, fail: Fail): DownloadError {
  const code = errorCode(error);
  if (code !== undefined && OFFLINE_CODES.has(code)) {
    return fail('download-offline', `Impossible de joindre ${hostOf(url)} : ce poste semble hors ligne ou le serveur est injoignable.`, error);
  }
  return fail('download-failed', `Le téléchargement de ${url} a échoué.`, error);
}

/** A system error code from an error's cause chain, an offline one first (undici nests them, sometimes in an AggregateError). */
function errorCode(error: unknown): string | undefined {
  const codes: string[] = [];
  const queue: unknown[] = [error];
  for (let i = 0; i < queue.length && i < 20; i++) {
    const current = queue[i];
    if (typeof current !== 'object' || current === null) continue;
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    queue.push(cause, ...(Array.isArray(errors) ? errors : []));
  }
  return codes.find((code) => OFFLINE_CODES.has(code)) ?? codes[0];
}

function isWriteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ENOSPC', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EDQUOT'].includes(code);
}

function parseContentRange(header: string | null): { start?: number; total?: number } | undefined {
  const match = header === null ? null : /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header.trim());
  if (match === null) return undefined;
  return {
    ...(match[1] !== undefined ? { start: Number(match[1]) } : {}),
    ...(match[2] !== undefined && match[2] !== '*' ? { total: Number(match[2]) } : {}),
  };
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

/** A SHA-256 already fed with the whole file: a resume hashes what it keeps, then what it receives. */
async function hashFile(file: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}

function report(options: DownloadFileOptions, received: number, total: number | undefined): void {
  try {
    options.onProgress?.(received, total);
  } catch {
    // A progress display that fails must not break a download of several hundred megabytes.
  }
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : url;
}
