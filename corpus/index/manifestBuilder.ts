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
    counts,
    ...(embedder ? { embedder } : {}),
    lastImport,
  };
}
