import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../../corpus/corpusError.js';
import type { Audience, Fiche } from '../../corpus/fiche.js';
import type { CorpusManifest } from '../../corpus/index/corpusManifest.js';
import type { CorpusImporter, FeedContent, ImportOptions, ImportReport } from '../../corpus/index/corpusImporter.js';
import { IndexLayout } from '../../corpus/index/indexLayout.js';
import type { PassageEncoder } from '../../corpus/index/passageEncoder.js';
import { SearchIndex } from '../../corpus/index/searchIndex.js';
import { FicheSearch, type SearchRequest, type SearchResult } from '../../corpus/search/ficheSearch.js';

const GENERATION_CHECK_MS = 1_000;

/** The knowledge base as the agent and IT see it: what it holds and how old it is. */
export interface CorpusInfo {
  manifest: CorpusManifest;
  /** Size of the live index on disk, bytes. */
  sizeBytes: number;
  /**
   * The age of the knowledge base: days between `manifest.knowledgeDate` (the newest fiche of its least recent
   * snapshot; `newestFicheDate` for older manifests) and today. Show it with `knowledgeDate`: with the embedded
   * fiches, service-public.fr's are from 2020 though the labour fiches are newer.
   */
  ageDays: number;
  mode: 'fulltext' | 'hybrid';
}

/**
 * The fiches, searchable and readable: imports feeds into the index, searches it, returns whole fiches.
 * Follows index swaps: after any import (this process or another) the next call sees the new generation.
 */
export class KnowledgeBase {
  private open?: OpenIndex;
  /** The open in progress: parallel first searches share it rather than opening the index twice. */
  private opening?: Promise<OpenIndex>;
  private checkedAt = 0;

  constructor(
    private readonly layout: IndexLayout,
    private readonly importer: () => Promise<CorpusImporter>,
    private readonly encoder?: PassageEncoder,
    private readonly log?: (line: string) => void,
  ) {}

  /** The standard wiring over a data dir. The import pipeline loads at the first import: a search needs none of it. */
  static create(dataDir: string, encoder?: PassageEncoder, log?: (line: string) => void): KnowledgeBase {
    const layout = new IndexLayout(dataDir);
    let importer: Promise<CorpusImporter> | undefined;
    const lazyImporter = () =>
      (importer ??= Promise.all([import('../../corpus/index/corpusImporter.js'), import('../../corpus/chunker.js')]).then(
        ([{ CorpusImporter }, { chunkFiche }]) => new CorpusImporter(layout, chunkFiche),
      ));
    return new KnowledgeBase(layout, lazyImporter, encoder, log);
  }

  /** `undefined` when nothing was imported yet. */
  async info(): Promise<CorpusInfo | undefined> {
    const generation = await this.layout.currentGeneration();
    if (!generation) return undefined;
    return this.reading(async ({ index, search }) => {
      const { manifest } = index;
      return {
        manifest,
        sizeBytes: await folderSize(generation),
        ageDays: daysSince(manifest.knowledgeDate ?? manifest.newestFicheDate),
        mode: search.mode,
      };
    });
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return this.reading(({ search }) => search.search(request));
  }

  /** A whole fiche for the offline reader; `fiche-not-found` when the index does not have it. */
  async getFiche(id: string, audience?: Audience): Promise<Fiche> {
    const fiche = await this.reading(({ index }) => index.getFiche(id.trim(), audience));
    if (!fiche) throw new CorpusError('fiche-not-found', `La fiche ${id} n'est pas dans la base de connaissances.`);
    return fiche;
  }

  async importFeeds(feeds: readonly FeedContent[], options: Omit<ImportOptions, 'encoder'> = {}): Promise<ImportReport> {
    const report = await (await this.importer()).importFeeds(feeds, { ...options, ...(this.encoder ? { encoder: this.encoder } : {}) });
    this.closeIndex();
    return report;
  }

  /**
   * Recomputes every vector with this knowledge base's embedder, or the one given (or drops them without one). Searches
   * use the new vectors once the engine runs with that embedder (`embedder.path`).
   */
  async reembed(options: Omit<ImportOptions, 'encoder'> & { encoder?: PassageEncoder } = {}): Promise<ImportReport> {
    const { encoder = this.encoder, ...rest } = options;
    const report = await (await this.importer()).reembed(encoder, rest);
    this.closeIndex();
    return report;
  }

  close(): void {
    this.closeIndex();
  }

  /** Runs a read on the live index; an index replaced meanwhile is closed only once its reads are done. */
  private async reading<T>(read: (open: OpenIndex) => Promise<T>): Promise<T> {
    const open = await this.current();
    open.readers += 1;
    try {
      return await read(open);
    } finally {
      open.readers -= 1;
      if (open.retired && open.readers === 0) open.index.close();
    }
  }

  private async current(): Promise<OpenIndex> {
    // An import by another process is seen within a second; checking the pointer file on every search would cost
    // two file-system calls per question.
    if (this.open && performance.now() - this.checkedAt < GENERATION_CHECK_MS) return this.open;
    this.opening ??= this.reopenIfChanged().finally(() => delete this.opening);
    return this.opening;
  }

  private async reopenIfChanged(): Promise<OpenIndex> {
    const generation = await this.layout.currentGeneration();
    this.checkedAt = performance.now();
    if (this.open && this.open.generation === generation) return this.open;
    this.closeIndex();
    const index = await SearchIndex.open(this.layout, this.log ? { log: this.log } : {});
    this.open = { generation: index.folder, index, search: new FicheSearch(index, this.encoder), readers: 0, retired: false };
    return this.open;
  }

  /** Retires the open index: closed now if no read uses it, else when the last one ends. */
  private closeIndex(): void {
    const open = this.open;
    delete this.open;
    if (!open) return;
    open.retired = true;
    if (open.readers === 0) open.index.close();
  }
}

interface OpenIndex {
  generation: string;
  index: SearchIndex;
  search: FicheSearch;
  /** Reads in progress on this index. */
  readers: number;
  /** Replaced by a newer generation (or the base closed): close once `readers` is 0. */
  retired: boolean;
}

function daysSince(isoDate: string): number {
  const time = Date.parse(isoDate);
  return Number.isNaN(time) ? 0 : Math.max(0, Math.floor((Date.now() - time) / 86_400_000));
}

async function folderSize(folder: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    total += entry.isDirectory() ? await folderSize(path) : (await stat(path)).size;
  }
  return total;
}
