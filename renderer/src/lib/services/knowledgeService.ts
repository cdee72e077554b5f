/** The fiches: search without a model, the offline reader, the corpus panel. */
import type { Audience, CorpusInfo, Fiche, ImportReport, SearchResult } from '../../../../assistant/api.js';
import type { ContractStream, ImportProgressEvent } from '../api/client.js';
import { client } from './clientHolder.js';

export function searchFiches(query: string, audiences: Audience[], signal?: AbortSignal): Promise<SearchResult> {
  return client().search({ query, k: 10, ...(audiences.length > 0 ? { audiences } : {}) }, signal ? { signal } : {});
}

export function getFiche(id: string, audience?: Audience): Promise<Fiche> {
  return client().fiche.get(audience ? { id, audience } : { id });
}

export function corpusInfo(): Promise<CorpusInfo | null> {
  return client().corpus.info();
}

export function importCorpus(from: string): ContractStream<ImportProgressEvent, ImportReport> {
  return client().corpus.import({ from });
}
