import type { CorpusManifest, ImportChanges, ManifestSource } from './corpusManifest.js';
import type { FicheRow } from './indexTables.js';

/** Counts per audience, kind and source, and the knowledge base's age, from the rows of a generation. */
export function buildManifest(
  fiches: readonly FicheRow[],
  chunkCount: number,
  sources: ManifestSource[],
  lastImport: ImportChanges,
  embedder: CorpusManifest['embedder'],
): CorpusManifest {
  const counts: CorpusManifest['counts'] = { fiches: fiches.length, searchable: 0, chunks: chunkCount, byAudience: {}, byKind: {}, bySource: {} };
  let newest = '';
  for (const row of fiches) {
    if (row.searchable) counts.searchable++;
    counts.byAudience[row.audience] = (counts.byAudience[row.audience] ?? 0) + 1;
    counts.byKind[row.kind] = (counts.byKind[row.kind] ?? 0) + 1;
    counts.bySource[row.source] = (counts.bySource[row.source] ?? 0) + 1;
    if (row.date > newest) newest = row.date;
  }
  return {
    formatVersion: 1,
    builtAt: new Date().toISOString(),
    sources,
    newestFicheDate: newest,
    knowledgeDate: knowledgeDateOf(sources, newest),
    counts,
    ...(embedder ? { embedder } : {}),
    lastImport,
  };
}

/**
 * The age of the knowledge base (see `CorpusManifest.knowledgeDate`): the feeds of one snapshot (same source and same
 * origin, or all the embedded feeds of a source, such as the three DILA audiences of one package) count as one, dated
 * by their newest fiche; the base is as old as its least recent snapshot.
 */
export function knowledgeDateOf(sources: readonly ManifestSource[], newest: string): string {
  const snapshots = new Map<string, string>();
  for (const entry of sources) {
    if (entry.fiches === 0 || entry.newestFicheDate === '') continue;
    const key = entry.embedded === true ? `${entry.source} (embarqué)` : `${entry.source} ${entry.origin}`;
    const known = snapshots.get(key);
    if (known === undefined || entry.newestFicheDate > known) snapshots.set(key, entry.newestFicheDate);
  }
  const dates = [...snapshots.values()];
  return dates.length === 0 ? newest : dates.reduce((oldest, date) => (date < oldest ? date : oldest));
}
