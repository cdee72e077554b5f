import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isUnreadableIndex } from '../../corpus/index/generationReader.js';
import type { Audience } from '../../corpus/fiche.js';
import type { FeedContent, ImportReport } from '../../corpus/index/corpusImporter.js';
import type { Settings } from '../settings/settingsSchema.js';
import { readPackManifest, verifyPack } from './corpusPackManifest.js';
import { embeddedFeeds, embeddedOrigin, loadFeed, loadFeeds } from './feedLoader.js';
import type { KnowledgeBase } from './knowledgeBase.js';

const FIRST_RUN_TIMEOUT_MS = 10_000;
/** The folder of each audience's feed on lecomarquage.service-public.fr, and its short name in pack file names. */
export const FEED_FOLDERS: Readonly<Record<Audience, string>> = { particuliers: 'part', professionnels: 'pro', associations: 'asso' };

/** The URL of the current DILA feed of an audience under the configured base. */
export function dilaFeedUrl(base: string, audience: Audience): string {
  return `${base.replace(/\/+$/, '')}/${FEED_FOLDERS[audience]}/zip/vosdroits-latest.zip`;
}

export interface FirstRunReport {
  /** False when the knowledge base already existed: nothing was done. */
  performed: boolean;
  imports: { origin: string; report: ImportReport }[];
  /** What the agent or IT should know (offline, forbidden by policy, a feed that failed), in French. */
  notices: string[];
}

export interface FirstRunOptions {
  dataDir: string;
  settings: Settings;
  signal?: AbortSignal;
  onProgress?: (step: { label: string; done: number; total: number }) => void;
}

/**
 * Makes Guichet useful from the first minute. When policy allows, it first tries the current DILA feeds (giving up
 * quickly when the network does not answer), then imports, in one generation, the feeds it got and the embedded
 * fiches for the rest: service-public.fr's audiences that could not be fetched, and the labour-law fiches. Offline,
 * it says how old the embedded fiches are and how to update them.
 */
const REBUILT = {
  'index-damaged': "L'index des fiches de ce poste était abîmé : Guichet l'a reconstruit.",
  'index-too-new': "L'index des fiches de ce poste avait été écrit par une version plus récente de Guichet, que celle-ci ne sait pas lire : Guichet l'a reconstruit.",
} as const;

export async function ensureKnowledgeBase(kb: KnowledgeBase, options: FirstRunOptions): Promise<FirstRunReport> {
  try {
    if (await kb.info()) return { performed: false, imports: [], notices: [] };
  } catch (error) {
    // An index this version cannot read (damaged, or written by a newer Guichet) is rebuilt as on a first run.
    if (!isUnreadableIndex(error)) throw error;
    const report = await firstImport(kb, options);
    return { ...report, notices: [REBUILT[error.code], ...report.notices] };
  }
  return firstImport(kb, options);
}

async function firstImport(kb: KnowledgeBase, options: FirstRunOptions): Promise<FirstRunReport> {
  const pack = options.settings['corpus.packPath'];
  if (pack) return importPack(kb, pack, options);
  const notices: string[] = [];
  const current: FeedContent[] = [];
  let offline = false;
  const fetchAllowed = options.settings['corpus.autoFetch'] && options.settings['network.allowDownloads'] && options.settings['features.corpusUpdate'];
  if (fetchAllowed) {
    const fetched = await fetchCurrentFeeds(options);
    current.push(...fetched.feeds);
    notices.push(...fetched.notices);
    offline = fetched.offline;
  }
  const fetchedAudiences = new Set(current.flatMap((feed) => feed.audiences));
  const missing = ALL_AUDIENCES.filter((audience) => !fetchedAudiences.has(audience));
  const signal = options.signal ? { signal: options.signal } : {};
  const embedded = await embeddedFeeds({ ...signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}), audiences: missing, service: missing.length > 0 });
  const feeds = [...embedded, ...current];
  const report = await kb.importFeeds(feeds, { ...signal, onProgress: (p) => options.onProgress?.({ label: p.phase, done: p.done, total: p.total }) });
  const origin = [embeddedOrigin(embedded), ...current.map((feed) => feed.origin)].join(' + ');
  const dilaDate = newestDilaDate(embedded);
  if (dilaDate !== '') {
    const which = missing.length === ALL_AUDIENCES.length ? '' : ` (${missing.join(', ')})`;
    const howTo =
      `Les fiches de service-public.fr embarquées${which} datent du ${frenchDate(dilaDate)} : pour les mettre à jour, ` +
      'téléchargez vosdroits-latest.zip sur un poste connecté puis lancez « guichet corpus import --from <fichier.zip> ».';
    if (!fetchAllowed) notices.push(`Téléchargement automatique des fiches service-public.fr désactivé par les réglages. ${howTo}`);
    else if (offline) notices.push(`Pas de connexion réseau : Guichet répond avec les fiches embarquées. ${howTo}`);
    else notices.push(howTo);
  }
  return { performed: true, imports: [{ origin, report }], notices };
}

/**
 * The corpus pack IT distributes (policy `corpus.packPath`): imported as it is, nothing fetched. A pack built by
 * `guichet corpus pack` is checked against its manifest (each feed's size and SHA-256) before anything is read.
 */
async function importPack(kb: KnowledgeBase, pack: string, options: FirstRunOptions): Promise<FirstRunReport> {
  const signal = options.signal ? { signal: options.signal } : {};
  const load = { dataDir: options.dataDir, allowDownloads: false, ...signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) };
  const manifest = await readPackManifest(pack);
  if (manifest) await verifyPack(pack, manifest);
  // A pack is a feed (zip, folder of XML) or a folder of feed zips (one per audience, as the packages ship it); the
  // labour-law fiches shipped with Guichet come with it.
  const zips = manifest ? manifest.feeds.map((feed) => feed.file) : (await readdir(pack).catch(() => [] as string[])).filter((name) => name.toLowerCase().endsWith('.zip')).sort();
  const feeds = zips.length > 0 ? await Promise.all(zips.map((zip) => loadFeed(join(pack, zip), load))) : await loadFeeds(pack, load);
  feeds.push(...(await embeddedFeeds({ ...signal, audiences: [], service: false })));
  const report = await kb.importFeeds(feeds, { ...signal, onProgress: (p) => options.onProgress?.({ label: p.phase, done: p.done, total: p.total }) });
  const dated = manifest ? ` (fiches mises à jour jusqu'au ${frenchDate(manifest.newestFicheDate)})` : '';
  return { performed: true, imports: [{ origin: pack, report }], notices: [`Corpus importé depuis le paquet fourni par le service informatique : ${pack}${dated}.`] };
}

const ALL_AUDIENCES: readonly Audience[] = ['particuliers', 'professionnels', 'associations'];

/** The current DILA feed of each configured audience, read; stops at the first sign of no network. */
async function fetchCurrentFeeds(options: FirstRunOptions): Promise<{ feeds: FeedContent[]; notices: string[]; offline: boolean }> {
  const feeds: FeedContent[] = [];
  const notices: string[] = [];
  const signal = options.signal ? { signal: options.signal } : {};
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  for (const audience of options.settings['corpus.audiences']) {
    const url = dilaFeedUrl(options.settings['corpus.feedBaseUrl'], audience);
    try {
      // A firewalled office drops packets rather than refusing them: give up quickly, the agent is waiting.
      feeds.push(await loadFeed(url, { dataDir: options.dataDir, allowDownloads: true, timeoutMs: FIRST_RUN_TIMEOUT_MS, ...signal, ...progress }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'download-offline') return { feeds, notices, offline: true };
      if (code === 'import-cancelled' || options.signal?.aborted) throw error;
      notices.push(`Le flux ${url} n'a pas pu être importé : ${(error as Error).message}`);
    }
  }
  return { feeds, notices, offline: false };
}

function newestDilaDate(feeds: readonly FeedContent[]): string {
  let newest = '';
  for (const feed of feeds) if (feed.source === 'dila') for (const fiche of feed.fiches) if (fiche.date > newest) newest = fiche.date;
  return newest;
}

/** `2020-11-12` → `12 novembre 2020`. */
function frenchDate(isoDate: string): string {
  const time = Date.parse(isoDate);
  return Number.isNaN(time) ? 'une date inconnue' : new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(time);
}
