import type { EngineModule } from '../contract/engineContract.js';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import { evaluateRetrieval, parseEvalSet } from '../knowledge/retrievalEval.js';

/** The knowledge base: what the reader, the search box, the corpus panel and `guichet eval retrieval` need. */
export function knowledgeModule(kb: KnowledgeBase): EngineModule<'corpus.info' | 'search' | 'fiche.get' | 'eval.retrieval'> {
  return {
    handlers: {
      'corpus.info': async () => (await kb.info()) ?? null,
      search: (request, { signal }) => kb.search({ ...request, signal }),
      'fiche.get': ({ id, audience }) => kb.getFiche(id, audience),
      'eval.retrieval': async ({ json, origin, k = 5, audiences }, { signal, emit }) => {
        const questions = parseEvalSet(parsedJson(json), origin);
        return evaluateRetrieval(
          questions,
          async (question, item) => {
            const audience = audiences ?? (item.audience ? [item.audience] : undefined);
            const result = await kb.search({ query: question, k: Math.max(k, 5), signal, ...(audience ? { audiences: audience } : {}) });
            return { ids: result.hits.map((hit) => hit.ficheId), weak: result.weak };
          },
          k,
          (done, total) => emit({ type: 'progress', label: 'questions', done, total }),
        );
      },
    },
    dispose: async () => kb.close(),
  };
}

/** The JSON's value, or `undefined` when it is not JSON (the set's parser then says what it expects). */
function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
