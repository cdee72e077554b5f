import type { Audience } from '../../corpus/fiche.js';
import type { ImportReport } from '../../corpus/index/corpusImporter.js';
import type { Settings } from '../settings/settingsSchema.js';
import { embeddedFeed, loadFeed } from './feedLoader.js';
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
 * Makes Guichet useful from the first minute: imports the embedded labour-law fiches, then — when policy allows
 * and the network answers — the current DILA feeds. Offline, it says how to import them from a file.
 */
export async function ensureKnowledgeBase(kb: KnowledgeBase, options: FirstRunOptions): Promise<FirstRunReport> {
  if (await kb.info()) return { performed: false, imports: [], notices: [] };
  const imports: FirstRunReport['imports'] = [];
  const notices: string[] = [];
  const progress = options.onProgress ? { onProgress: options.onProgress } : {};
  const signal = options.signal ? { signal: options.signal } : {};
  const embedded = await embeddedFeed();
  imports.push({ origin: embedded.origin, report: await kb.importFeeds([embedded], { ...signal, onProgress: (p) => options.onProgress?.({ label: p.phase, done: p.done, total: p.total }) }) });
  const howTo = 'Pour ajouter les fiches de service-public.fr, téléchargez vosdroits-latest.zip sur un poste connecté puis lancez « guichet corpus import --from <fichier.zip> ».';
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
        notices.push(`Pas de connexion réseau : seules les fiches embarquées sont disponibles. ${howTo}`);
        break;
      }
      if (code === 'import-cancelled' || options.signal?.aborted) throw error;
      notices.push(`Le flux ${url} n'a pas pu être importé : ${(error as Error).message}`);
    }
  }
  return { performed: true, imports, notices };
}
