/** The corpus' domain types, as the shells and the renderer see them (they never import `corpus/` directly). */
export { AUDIENCES, ONLINE_SERVICE_LABELS } from '../../corpus/fiche.js';
export type { Audience, Chunk, CorpusSource, Fiche, FicheKind, OnlineService, OnlineServiceType, RelatedQuestion } from '../../corpus/fiche.js';
export type { CorpusManifest, ImportChanges, ImportFailure } from '../../corpus/index/corpusManifest.js';
export type { ImportProgress, ImportReport } from '../../corpus/index/corpusImporter.js';
export type { Passage, SearchHit, SearchRequest, SearchResult } from '../../corpus/search/ficheSearch.js';
