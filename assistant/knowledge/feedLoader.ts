import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CorpusError } from '../../corpus/corpusError.js';
import { importDilaFeeds } from '../../corpus/dila/dilaFeed.js';
import type { Audience } from '../../corpus/fiche.js';
import type { FeedContent } from '../../corpus/index/corpusImporter.js';
import { readTravailFiches, TRAVAIL_PACKAGE } from '../../corpus/travail/travailSource.js';
import { AssistantError } from '../assistantError.js';
import { downloadFile } from '../download/downloadFile.js';

/** Names that designate the embedded default corpus (the labour-law fiches shipped in an npm package). */
export const EMBEDDED_FEED_NAMES = ['embarque', 'travail-emploi', TRAVAIL_PACKAGE] as const;

export interface FeedLoadOptions {
  /** Where downloads are kept (resumable `.part` files included). */
  dataDir: string;
  /** Keep only this audience's fiches of a DILA feed. */
  audience?: Audience;
  /** False when policy forbids downloads: a URL is then refused before any connection. */
  allowDownloads: boolean;
  signal?: AbortSignal;
  onProgress?: (step: { label: string; done: number; total: number }) => void;
  /** Milliseconds without a byte before a download counts as offline. Default: the downloader's (30 s). */
  timeoutMs?: number;
}

/**
 * Reads a feed named on the command line or in the UI: a DILA `vosdroits-latest.zip`, a folder of its XML files,
 * the URL of such a zip (downloaded, size checked, then read), or the embedded labour-law fiches.
 */
export async function loadFeed(from: string, options: FeedLoadOptions): Promise<FeedContent> {
  if ((EMBEDDED_FEED_NAMES as readonly string[]).includes(from)) return embeddedFeed();
  if (/^https?:\/\//i.test(from)) return loadDilaUrl(from, options);
  const path = resolve(from);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CorpusError('feed-not-found', `Flux introuvable : ${path}.`, { file: path });
  return loadDilaPath(path, path, options, info.isFile() ? await sha256Of(path) : undefined);
}

/** The labour-law fiches of travail-emploi.gouv.fr shipped with Guichet: the first run works with no file. */
export async function embeddedFeed(): Promise<FeedContent> {
  const { fiches, origin, failures } = await readTravailFiches();
  return {
    source: 'travail-emploi',
    audiences: ['particuliers'],
    origin,
    fiches,
    failures: failures.map((error) => ({ file: error.file ?? origin, message: error.message })),
  };
}

async function loadDilaUrl(url: string, options: FeedLoadOptions): Promise<FeedContent> {
  if (!options.allowDownloads) {
    throw new AssistantError('download-forbidden', 'Les téléchargements sont désactivés par la politique de votre service informatique.');
  }
  const name = basename(new URL(url).pathname) || 'flux.zip';
  const audiencePart = new URL(url).pathname.match(/\/(part|pro|asso)\//)?.[1];
  const destination = join(options.dataDir, 'downloads', audiencePart ? `${audiencePart}-${name}` : name);
  const download = await downloadFile({
    url,
    destination,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    onProgress: (received, total) => options.onProgress?.({ label: 'téléchargement', done: received, total: total ?? received }),
  });
  return loadDilaPath(download.path, url, options, download.sha256);
}

async function loadDilaPath(path: string, origin: string, options: FeedLoadOptions, sha256?: string): Promise<FeedContent> {
  const corpus = await importDilaFeeds([{ path, ...(options.audience ? { audience: options.audience } : {}) }], {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: ({ done, total }) => options.onProgress?.({ label: 'lecture', done, total }),
  });
  const fiches = options.audience ? corpus.fiches.filter((fiche) => fiche.audience === options.audience) : corpus.fiches;
  const audiences = [...new Set(fiches.map((fiche) => fiche.audience))];
  if (fiches.length === 0) throw new CorpusError('feed-empty', `Le flux ${origin} ne contient aucune fiche lisible.`, { file: origin });
  return {
    source: 'dila',
    audiences,
    origin,
    ...(sha256 ? { sha256 } : {}),
    fiches,
    failures: corpus.failures.map((error) => ({ file: error.file ?? origin, message: error.message })),
  };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
