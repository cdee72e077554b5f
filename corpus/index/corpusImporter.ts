import { ficheKey, type Audience, type Chunk, type CorpusSource, type Fiche } from '../fiche.js';
import { CorpusError } from '../corpusError.js';
import type { CorpusManifest, ImportChanges, ImportFailure, ManifestSource } from './corpusManifest.js';
import { writeGeneration } from './generationWriter.js';
import type { IndexLayout } from './indexLayout.js';
import { chunkRow, ficheRow, passageForEmbedding, type ChunkRow, type FicheRow } from './indexTables.js';
import type { PassageEncoder } from './passageEncoder.js';
import { isUnreadableIndex, readGeneration, type GenerationContent } from './generationReader.js';
import { buildManifest } from './manifestBuilder.js';

/** The fiches read from one feed, and the scope (source × audiences) they replace in the index. */
export interface FeedContent {
  source: CorpusSource;
  audiences: Audience[];
  origin: string;
  sha256?: string;
  /** The fiches shipped with Guichet (see `ManifestSource.embedded`). */
  embedded?: boolean;
  fiches: Fiche[];
  /** Files that could not be read: the indexed version of those fiches, if any, is kept. */
  failures: ImportFailure[];
}

export type ImportPhase = 'comparaison' | 'découpage' | 'vectorisation' | 'écriture';

export interface ImportProgress {
  phase: ImportPhase;
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Fills the vector column (hybrid search). Vectors of unchanged fiches are reused when the model is the same. */
  encoder?: PassageEncoder;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportReport {
  manifest: CorpusManifest;
  changes: ImportChanges;
  generation: string;
}

const MAX_LISTED_FAILURES = 50;

/**
 * Builds a new index generation from feeds, reusing what did not change, and swaps it in atomically.
 * Fiches outside the feeds' scope (another audience, another source) are carried over untouched.
 */
export class CorpusImporter {
  constructor(
    private readonly layout: IndexLayout,
    private readonly chunkFiche: (fiche: Fiche) => Chunk[],
  ) {}

  async importFeeds(feeds: readonly FeedContent[], options: ImportOptions = {}): Promise<ImportReport> {
    const unlock = await this.layout.lock();
    try {
      const previous = await this.readCurrent();
      const plan = planImport(previous, feeds);
      options.onProgress?.({ phase: 'comparaison', done: 1, total: 1 });
      const chunks = this.chunkChanged(plan.changedFiches, options);
      const allChunks = [...plan.keptChunks, ...chunks];
      const failures = feeds.flatMap((feed) => feed.failures);
      const changes: ImportChanges = {
        ...plan.counts,
        failures: failures.slice(0, MAX_LISTED_FAILURES),
        moreFailures: Math.max(0, failures.length - MAX_LISTED_FAILURES),
      };
      const sources = mergeSources(previous?.manifest.sources ?? [], feeds, plan.ficheRows);
      return await this.writeAndPromote(plan.ficheRows, allChunks, sources, changes, previous, options);
    } finally {
      await unlock();
    }
  }

  /** Computes the vectors of every chunk with `encoder` (or drops them without one) in a new generation. */
  async reembed(encoder: PassageEncoder | undefined, options: Omit<ImportOptions, 'encoder'> = {}): Promise<ImportReport> {
    const unlock = await this.layout.lock();
    try {
      const previous = await this.readCurrent();
      if (!previous) throw new CorpusError('index-missing', "Aucun index : importez d'abord des fiches (guichet corpus import).");
      const chunks = [...previous.chunksByFiche.values()].flat().map(({ vector: _drop, ...row }) => row);
      const changes: ImportChanges = { added: 0, changed: 0, removed: 0, unchanged: previous.fiches.length, failures: [], moreFailures: 0 };
      const next = { ...options, ...(encoder ? { encoder } : {}) };
      return await this.writeAndPromote(previous.fiches, chunks, previous.manifest.sources, changes, undefined, next);
    } finally {
      await unlock();
    }
  }

  /** The live generation; none when its manifest is damaged or from a newer version: the import then rebuilds it all. */
  private async readCurrent(): Promise<GenerationContent | undefined> {
    const folder = await this.layout.currentGeneration();
    if (!folder) return undefined;
    try {
      return await readGeneration(folder);
    } catch (error) {
      if (isUnreadableIndex(error)) return undefined;
      throw error;
    }
  }

  private chunkChanged(fiches: readonly Fiche[], options: ImportOptions): ChunkRow[] {
    const rows: ChunkRow[] = [];
    fiches.forEach((fiche, index) => {
      if (index % 200 === 0) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ phase: 'découpage', done: index, total: fiches.length });
      }
      if (fiche.searchable) rows.push(...this.chunkFiche(fiche).map((chunk) => chunkRow(fiche, chunk)));
    });
    options.onProgress?.({ phase: 'découpage', done: fiches.length, total: fiches.length });
    return rows;
  }

  private async writeAndPromote(
    fiches: readonly FicheRow[],
    chunks: ChunkRow[],
    sources: ManifestSource[],
    changes: ImportChanges,
    previous: GenerationContent | undefined,
    options: ImportOptions,
  ): Promise<ImportReport> {
    const embedder = options.encoder ? { id: options.encoder.id, dimension: options.encoder.dimension } : undefined;
    const reusable = embedder && previous?.manifest.embedder?.id === embedder.id;
    if (options.encoder) await embedMissing(chunks, options.encoder, options, reusable === true);
    else for (const chunk of chunks) delete chunk.vector;
    const manifest = buildManifest(fiches, chunks.length, sources, changes, embedder);
    const generation = await this.layout.createGeneration();
    try {
      options.onProgress?.({ phase: 'écriture', done: 0, total: 1 });
      await writeGeneration(generation, fiches, chunks, manifest, options.signal);
      options.signal?.throwIfAborted();
      await this.layout.promote(generation);
      options.onProgress?.({ phase: 'écriture', done: 1, total: 1 });
    } catch (error) {
      await this.layout.removeStaleGenerations();
      if (options.signal?.aborted) throw new CorpusError('import-cancelled', "Import annulé : l'index précédent est conservé.", { cause: error });
      throw error;
    }
    return { manifest, changes, generation };
  }
}

interface ImportPlan {
  ficheRows: FicheRow[];
  changedFiches: Fiche[];
  keptChunks: ChunkRow[];
  counts: Pick<ImportChanges, 'added' | 'changed' | 'removed' | 'unchanged'>;
}

/** Decides, fiche by fiche, what the new generation keeps, replaces, adds and drops. */
export function planImport(previous: GenerationContent | undefined, feeds: readonly FeedContent[]): ImportPlan {
  const inScope = (source: string, audience: string) =>
    feeds.some((feed) => feed.source === source && (feed.audiences as string[]).includes(audience));
  const failedIds = new Set(feeds.flatMap((feed) => feed.failures.map((failure) => idOfFile(failure.file))));
  const incoming = new Map<string, Fiche>();
  for (const feed of feeds) for (const fiche of feed.fiches) incoming.set(ficheKey(fiche), fiche);
  const oldRows = new Map((previous?.fiches ?? []).map((row) => [row.key, row]));
  const plan: ImportPlan = { ficheRows: [], changedFiches: [], keptChunks: [], counts: { added: 0, changed: 0, removed: 0, unchanged: 0 } };
  const keep = (row: FicheRow) => {
    plan.ficheRows.push(row);
    plan.keptChunks.push(...(previous?.chunksByFiche.get(row.key) ?? []));
  };
  for (const row of oldRows.values()) {
    if (incoming.has(row.key)) continue;
    if (!inScope(row.source, row.audience) || failedIds.has(row.id)) keep(row);
    else plan.counts.removed++;
  }
  for (const fiche of incoming.values()) {
    const row = ficheRow(fiche);
    const old = oldRows.get(row.key);
    if (old && old.hash === row.hash) {
      plan.counts.unchanged++;
      keep(old);
      continue;
    }
    plan.counts[old ? 'changed' : 'added']++;
    plan.ficheRows.push(row);
    plan.changedFiches.push(fiche);
  }
  return plan;
}

function idOfFile(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.xml$/i, '');
}

function mergeSources(old: readonly ManifestSource[], feeds: readonly FeedContent[], rows: readonly FicheRow[]): ManifestSource[] {
  const importedAt = new Date().toISOString();
  const fresh = feeds.map((feed): ManifestSource => {
    const own = rows.filter((row) => row.source === feed.source && (feed.audiences as string[]).includes(row.audience));
    return {
      source: feed.source,
      audiences: feed.audiences,
      origin: feed.origin,
      importedAt,
      newestFicheDate: own.reduce((newest, row) => (row.date > newest ? row.date : newest), ''),
      fiches: own.length,
      ...(feed.sha256 ? { sha256: feed.sha256 } : {}),
      ...(feed.embedded === true ? { embedded: true } : {}),
    };
  });
  const replaced = (entry: ManifestSource) =>
    feeds.some((feed) => feed.source === entry.source && entry.audiences.every((a) => feed.audiences.includes(a)));
  return [...old.filter((entry) => !replaced(entry)), ...fresh];
}

async function embedMissing(chunks: ChunkRow[], encoder: PassageEncoder, options: ImportOptions, reuse: boolean): Promise<void> {
  const pending = chunks.filter((chunk) => !reuse || chunk.vector === undefined || chunk.vector.length !== encoder.dimension);
  const vectors = await encoder.embedPassages(pending.map(passageForEmbedding), {
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (done, total) => options.onProgress?.({ phase: 'vectorisation', done, total }),
  });
  pending.forEach((chunk, index) => {
    chunk.vector = Array.from(vectors[index] ?? []);
  });
}
