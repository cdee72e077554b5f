import { createHash, randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AUDIENCES, type Audience } from '../../corpus/fiche.js';
import { AssistantError } from '../assistantError.js';
import { manifestText, packChecksums, PACK_CHECKSUMS, PACK_FORMAT, PACK_MANIFEST, readPackManifest, type CorpusPackFeed, type CorpusPackManifest } from './corpusPackManifest.js';
import { downloadFeed, isEmbeddedFeedName, loadFeed } from './feedLoader.js';
import { dilaFeedUrl, FEED_FOLDERS } from './firstRun.js';

export interface CorpusPackOptions {
  /** DILA feeds: URLs of zips, a base URL (one feed per audience of `audiences`), zip files, folders of zips. */
  from: readonly string[];
  /** The pack's folder, written whole or not at all. */
  output: string;
  /** Replace an existing pack at `output` (never a folder that is not a pack). */
  replace?: boolean;
  /** The audiences fetched from a base URL. */
  audiences: readonly Audience[];
  /** Where downloads are kept (resumable). */
  dataDir: string;
  allowDownloads: boolean;
  signal?: AbortSignal;
  onProgress?: (step: { label: string; done: number; total: number }) => void;
}

export interface CorpusPackReport {
  path: string;
  manifest: CorpusPackManifest;
  /** Files of the feeds that could not be read (their fiches are not in the pack's import). */
  failures: number;
  /** An earlier pack at the same place was replaced. */
  replaced: boolean;
}

/**
 * Builds a corpus pack (see corpusPackManifest.ts) for IT to copy to the agents' PCs: each feed downloaded or read,
 * checked by reading every fiche, copied as it is, then described in the manifest. Everything is written in a
 * `<output>.partiel-…` folder beside the target, renamed into place at the end: Ctrl-C or an error removes it, and
 * the target (an earlier pack included) stays as it was.
 */
export async function buildCorpusPack(options: CorpusPackOptions): Promise<CorpusPackReport> {
  const existing = await outputState(options.output, options.replace === true);
  const sources = await feedSources(options);
  await mkdir(dirname(options.output), { recursive: true });
  const staging = `${options.output}.partiel-${randomUUID().slice(0, 8)}`;
  await mkdir(staging);
  try {
    const feeds: CorpusPackFeed[] = [];
    let failures = 0;
    for (const source of sources) {
      const packed = await packFeed(source, staging, feeds, options);
      feeds.push(packed.feed);
      failures += packed.failures;
    }
    feeds.sort((a, b) => audienceRank(a) - audienceRank(b));
    const checksums = packChecksums(feeds);
    const manifest: CorpusPackManifest = {
      format: PACK_FORMAT,
      version: 1,
      newestFicheDate: feeds.map((feed) => feed.newestFicheDate).sort().at(-1) ?? '',
      fiches: feeds.reduce((sum, feed) => sum + feed.fiches, 0),
      feeds,
      sha256: createHash('sha256').update(checksums).digest('hex'),
    };
    await writeFile(join(staging, PACK_CHECKSUMS), checksums);
    await writeFile(join(staging, PACK_MANIFEST), manifestText(manifest));
    options.signal?.throwIfAborted();
    await swapIn(staging, options.output, existing);
    return { path: options.output, manifest, failures, replaced: existing === 'pack' };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

type FeedSource = { url: string } | { path: string };

/** The feeds named by `from`, one per zip, refused before any work when one cannot be a feed. */
async function feedSources(options: CorpusPackOptions): Promise<FeedSource[]> {
  const sources: FeedSource[] = [];
  for (const from of options.from) {
    if (isEmbeddedFeedName(from)) {
      throw new AssistantError('feed-source-unknown', `« ${from} » désigne les fiches embarquées, déjà livrées avec chaque installation de Guichet : un paquet de corpus se construit à partir des flux de la DILA (adresse, fichiers vosdroits-*.zip ou leur dossier).`);
    }
    if (/^https?:\/\//i.test(from)) {
      if (/\.zip$/i.test(new URL(from).pathname)) sources.push({ url: from });
      else sources.push(...options.audiences.map((audience) => ({ url: dilaFeedUrl(from, audience) })));
      continue;
    }
    const info = await stat(from).catch(() => undefined);
    if (!info) throw new AssistantError('feed-source-unknown', `Flux introuvable : ${from}.`);
    if (!info.isDirectory()) {
      sources.push({ path: from });
      continue;
    }
    const zips = (await readdir(from)).filter((name) => name.toLowerCase().endsWith('.zip')).sort();
    if (zips.length === 0) throw new AssistantError('feed-source-unknown', `Le dossier ${from} ne contient aucun flux vosdroits-*.zip.`);
    sources.push(...zips.map((zip) => ({ path: join(from, zip) })));
  }
  if (sources.length === 0) throw new AssistantError('feed-source-unknown', 'Aucun flux à mettre dans le paquet de corpus.');
  return sources;
}

/** One feed: downloaded if need be, read whole (a damaged zip is refused here, not on the agents' PCs), copied. */
async function packFeed(source: FeedSource, staging: string, packed: readonly CorpusPackFeed[], options: CorpusPackOptions): Promise<{ feed: CorpusPackFeed; failures: number }> {
  const name = 'url' in source ? source.url : basename(source.path);
  const progress = (step: { label: string; done: number; total: number }) => options.onProgress?.({ ...step, label: `${step.label} ${name}` });
  const load = { dataDir: options.dataDir, allowDownloads: options.allowDownloads, onProgress: progress, ...(options.signal ? { signal: options.signal } : {}) };
  const path = 'url' in source ? (await downloadFeed(source.url, load)).path : source.path;
  const content = await loadFeed(path, load);
  const audiences = AUDIENCES.filter((audience) => content.audiences.includes(audience));
  const taken = audiences.find((audience) => packed.some((feed) => feed.audiences.includes(audience)));
  if (taken) {
    const other = packed.find((feed) => feed.audiences.includes(taken))?.origin;
    throw new AssistantError('pack-audience-twice', `Deux flux pour le public « ${taken} » : ${other} et ${name}. Un paquet de corpus contient un seul flux par public.`);
  }
  const file = `vosdroits-${audiences.map((audience) => FEED_FOLDERS[audience]).join('-')}.zip`;
  await copyFile(path, join(staging, file));
  // The copy's mode is the source's (read-only on a mounted share): the pack's files are plain, replaceable files.
  await chmod(join(staging, file), 0o644);
  const { size } = await stat(path);
  const newest = content.fiches.reduce((max, fiche) => (fiche.date > max ? fiche.date : max), '');
  return {
    feed: { file, audiences, origin: name, newestFicheDate: newest.slice(0, 10), fiches: content.fiches.length, bytes: size, sha256: content.sha256 ?? '' },
    failures: content.failures.length,
  };
}

function audienceRank(feed: CorpusPackFeed): number {
  return AUDIENCES.indexOf(feed.audiences[0] as Audience);
}

/** What is at the target now: nothing, an earlier pack (replaced only when asked), or a folder we must not touch. */
async function outputState(output: string, replace: boolean): Promise<'absent' | 'pack' | 'empty'> {
  const entries = await readdir(output).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    if (error.code === 'ENOTDIR') throw new AssistantError('pack-output-exists', `${output} est un fichier : choisissez un dossier pour le paquet de corpus.`);
    throw error;
  });
  if (entries === undefined) return 'absent';
  if (entries.length === 0) return 'empty';
  const isPack = entries.includes(PACK_MANIFEST) && (await readPackManifest(output).then(() => true, () => false));
  if (!isPack) throw new AssistantError('pack-output-exists', `Le dossier ${output} existe et n'est pas un paquet de corpus : Guichet n'y écrit pas. Choisissez un dossier nouveau ou vide.`);
  if (!replace) throw new AssistantError('pack-output-exists', `Un paquet de corpus existe déjà dans ${output} : ajoutez --remplacer pour le remplacer, ou choisissez un autre dossier.`);
  return 'pack';
}

/** The staged pack takes the target's place; an earlier pack is moved aside first, and deleted only afterwards. */
async function swapIn(staging: string, output: string, existing: 'absent' | 'pack' | 'empty'): Promise<void> {
  if (existing === 'absent') return rename(staging, output);
  const aside = `${output}.ancien-${randomUUID().slice(0, 8)}`;
  await rename(output, aside);
  try {
    await rename(staging, output);
  } catch (error) {
    await rename(aside, output);
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}
