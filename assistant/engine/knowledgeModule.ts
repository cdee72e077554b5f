import { z } from 'zod';
import { AUDIENCES, type Audience } from '../knowledge/knowledgeTypes.js';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import type { EngineModule, KnowledgeContract } from '../contract/engineContract.js';

const noParams = z.object({}).strict().optional();
const audiences = z.array(z.enum(AUDIENCES as [Audience, ...Audience[]])).max(3).optional();
const ficheIds = z.array(z.string().min(1).max(40)).max(50).optional();

const searchSchema = z.object({
  query: z.string().max(200_000),
  k: z.number().int().min(1).max(50).optional(),
  audiences,
  sources: z.array(z.enum(['dila', 'travail-emploi'])).max(2).optional(),
  pinned: ficheIds,
  excluded: ficheIds,
  passagesPerFiche: z.number().int().min(1).max(10).optional(),
});

const ficheSchema = z.object({ id: z.string().min(1).max(40), audience: z.enum(AUDIENCES as [Audience, ...Audience[]]).optional() });

/** The knowledge base over RPC: what the reader, the search box and the corpus panel need. */
export function knowledgeModule(kb: KnowledgeBase): EngineModule<KnowledgeContract> {
  return {
    handlers: {
      'corpus.info': { parse: (raw) => noParams.parse(raw) as undefined, run: async () => (await kb.info()) ?? null },
      search: { parse: (raw) => searchSchema.parse(raw), run: (request, { signal }) => kb.search({ ...request, signal }) },
      'fiche.get': { parse: (raw) => ficheSchema.parse(raw), run: ({ id, audience }) => kb.getFiche(id, audience) },
    },
    dispose: async () => kb.close(),
  };
}
