import { z } from 'zod';
import type { Fiche } from '../../../corpus/fiche.js';
import type { ImportReport } from '../../../corpus/index/corpusImporter.js';
import type { SearchResult } from '../../../corpus/search/ficheSearch.js';
import type { CorpusPackReport } from '../../knowledge/corpusPack.js';
import type { FirstRunReport } from '../../knowledge/firstRun.js';
import type { CorpusInfo } from '../../knowledge/knowledgeBase.js';
import type { RetrievalEvalReport } from '../../knowledge/retrievalEval.js';
import { call, stream } from '../method.js';
import { audienceSchema, audiencesSchema, noParams, pathSchema, type ProgressEvent } from './common.js';

const ficheIds = z.array(z.string().min(1).max(40)).max(50).optional();

const searchParams = z.object({
  query: z.string().max(200_000),
  k: z.number().int().min(1).max(50).optional(),
  audiences: audiencesSchema,
  sources: z.array(z.enum(['dila', 'travail-emploi'])).min(1).max(2).optional(),
  pinned: ficheIds,
  excluded: ficheIds,
  passagesPerFiche: z.number().int().min(1).max(10).optional(),
});

const evalParams = z.object({
  /** The question set's JSON, as read by the shell (native `[{id, question, gold}]` or PIAF/SQuAD). */
  json: z.string().min(2).max(50_000_000),
  /** Where the set comes from, for messages. */
  origin: z.string().max(4096),
  k: z.number().int().min(1).max(50).optional(),
  audiences: audiencesSchema,
});

/** The knowledge base: search, the offline reader, the corpus panel, imports and evaluation. */
export const KNOWLEDGE_METHODS = {
  'corpus.info': call(noParams).returns<CorpusInfo | null>(),
  search: call(searchParams).returns<SearchResult>(),
  'fiche.get': call(z.object({ id: z.string().min(1).max(40), audience: audienceSchema.optional() })).returns<Fiche>(),
  /** Imports a feed: a zip, a folder of XML, a URL, or `embarque` (the fiches shipped with Guichet). */
  'corpus.import': stream(z.object({ from: pathSchema, audience: audienceSchema.optional() })).returns<ImportReport, ProgressEvent>(),
  /**
   * Builds a corpus pack for IT (`guichet corpus pack`): DILA feeds (zip URLs, a base URL read for the configured
   * audiences, zips, folders of zips; default the `corpus.feedBaseUrl` setting) copied into `output` with a manifest.
   */
  'corpus.pack': stream(z.object({ from: z.array(pathSchema).min(1).max(20).optional(), output: pathSchema, replace: z.boolean().optional() })).returns<CorpusPackReport, ProgressEvent>(),
  /** Computes every passage's vector with this embedder, then remembers it (`embedder.path`) unless policy locks it. */
  'corpus.embed': stream(z.object({ embedder: pathSchema })).returns<ImportReport & { embedderSetting: boolean }, ProgressEvent>(),
  /** First run: imports the embedded fiches if the data dir has none, then the current DILA feeds when allowed. */
  'corpus.prepare': stream(noParams).returns<{ firstRun: FirstRunReport; info: CorpusInfo | null }, ProgressEvent>(),
  'eval.retrieval': stream(evalParams).returns<RetrievalEvalReport, ProgressEvent>(),
};
