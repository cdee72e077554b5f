import type { Audience, CorpusSource, FicheKind } from '../fiche.js';

/** One feed that went into the index. */
export interface ManifestSource {
  source: CorpusSource;
  audiences: Audience[];
  /** File, folder, URL or npm package the fiches were read from. */
  origin: string;
  importedAt: string;
  /** Newest `date` among this source's fiches, ISO. */
  newestFicheDate: string;
  fiches: number;
  /** sha256 of the feed file, when it was a single file. */
  sha256?: string;
  /** True for the fiches shipped with Guichet (npm packages), read with no file and no network. */
  embedded?: boolean;
}

/** A file that could not be read, reported and skipped: the rest of the feed is imported. */
export interface ImportFailure {
  file: string;
  message: string;
}

/** What the last import changed, within the scope (source × audiences) it replaced. */
export interface ImportChanges {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  failures: ImportFailure[];
  /** Failures beyond the ones listed (the list is capped). */
  moreFailures: number;
}

/** The state of the knowledge base: what it holds, from where, how fresh. Written with each generation. */
export interface CorpusManifest {
  formatVersion: 1;
  /** When this generation was built. */
  builtAt: string;
  sources: ManifestSource[];
  /** Newest fiche date over all sources. */
  newestFicheDate: string;
  /**
   * The age of the knowledge base: the newest fiche date of its least recent snapshot (feeds of one source imported
   * together count as one): the base is no more current than that. With the embedded fiches, the 2020-11-12 of
   * service-public.fr's, though the labour fiches are newer.
   * Absent from manifests written before it existed: read `newestFicheDate` then.
   */
  knowledgeDate?: string;
  counts: {
    fiches: number;
    searchable: number;
    chunks: number;
    byAudience: Partial<Record<Audience, number>>;
    byKind: Partial<Record<FicheKind, number>>;
    bySource: Partial<Record<CorpusSource, number>>;
  };
  /** The embedder whose vectors the chunks carry; absent = full-text only. */
  embedder?: { id: string; dimension: number };
  lastImport?: ImportChanges;
}
