import type { Audience } from '../../corpus/fiche.js';
import type { FeedContent, ImportReport } from '../../corpus/index/corpusImporter.js';
import type { Settings } from '../settings/settingsSchema.js';
import { embeddedFeeds, embeddedOrigin, loadFeed } from './feedLoader.js';
import type { KnowledgeBase } from './knowledgeBase.js';

const FIRST_RUN_TIMEOUT_MS = 10_000;
const FEED_FOLDERS: Record<Audience, string> = { particuliers: 'part', professionnels: 'pro', associations: 'asso' };

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
 * Makes Guichet useful from the first minute: imports the embedded fiches (service-public.fr's three audiences and
 * the labour-law fiches), then — when policy allows and the network answers — the current DILA feeds, each of which
 * replaces its audience's embedded fiches. Offline, it says how old the embedded fiches are and how to update them.
 */
export async function ensureKnowledgeBase(kb: KnowledgeBase, options: FirstRunOptions): Promise<FirstRunReport> {
  if (await kb.info()) return { performed: false, imports: [], notices: [] };
  const imports: FirstRunReport['imports'] = [];
  const notices: string[] = [];
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const signal = options.signal ? { signal: options.signal } : {};
  const embedded = await importEmbedded(kb, options);
  imports.push(embedded.entry);
  const howTo =
    `Les fiches de service-public.fr embarquées datent du ${frenchDate(embedded.dilaDate)} : pour les mettre à jour, ` +
    'téléchargez vosdroits-latest.zip sur un poste connecté puis lancez « guichet corpus import --from <fichier.zip> ».';
  if (!options.settings['corpus.autoFetch'] || !options.settings['network.allowDownloads']) {
    notices.push(`Téléchargement automatique des fiches service-public.fr désactivé par les réglages. ${howTo}`);
    return { performed: true, imports, notices };
  }
  for (const audience of options.settings['corpus.audiences']) {
    const url = dilaFeedUrl(options.settings['corpus.feedBaseUrl'], audience);
    try {
      // A firewalled office drops packets rather than refusing them: give up quickly, the agent is waiting.
      const feed = await loadFeed(url, { dataDir: options.dataDir, allowDownloads: true, timeoutMs: FIRST_RUN_TIMEOUT_MS, ...signal, ...progress });
      imports.push({ origin: url, report: await kb.importFeeds([feed], signal) });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'download-offline') {
        notices.push(`Pas de connexion réseau : Guichet répond avec les fiches embarquées. ${howTo}`);
        break;
      }
      if (code === 'import-cancelled' || options.signal?.aborted) throw error;
      notices.push(`Le flux ${url} n'a pas pu être importé : ${(error as Error).message}`);
    }
  }
  return { performed: true, imports, notices };
}

/** The embedded fiches, read then imported in one generation; their fiches are not kept once imported. */
async function importEmbedded(kb: KnowledgeBase, options: FirstRunOptions): Promise<{ entry: FirstRunReport['imports'][number]; dilaDate: string }> {
  const signal = options.signal ? { signal: options.signal } : {};
  const feeds = await embeddedFeeds({ ...signal, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  const report = await kb.importFeeds(feeds, { ...signal, onProgress: (p) => options.onProgress?.({ label: p.phase, done: p.done, total: p.total }) });
  return { entry: { origin: embeddedOrigin(feeds), report }, dilaDate: newestDilaDate(feeds) };
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
