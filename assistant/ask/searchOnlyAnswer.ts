import { frenchDate } from '../knowledge/ficheMarkdown.js';
import type { SearchHit } from '../knowledge/knowledgeTypes.js';
import type { AnswerSource, AskAnswer } from './askTypes.js';
import { NO_MODEL_NOTICE, SEARCH_ONLY_NOTICE } from '../contract/answerNotices.js';

/** Fiches shown as search results when there is no draft. */
const SEARCH_ONLY_FICHES = 3;

/**
 * The answer without a model: the best passages of the best fiches, clearly labelled as search results, in the
 * same shape as a drafted answer. Guichet is useful from the first minute, before any model is installed.
 */
export function searchOnlyAnswer(
  hits: readonly SearchHit[],
  notices: string[],
  byChoice: boolean,
): Pick<AskAnswer, 'mode' | 'answer' | 'citations' | 'invalidCitations' | 'citationValidity' | 'sources' | 'consulted' | 'stopReason' | 'notices'> {
  const sources: AnswerSource[] = hits.slice(0, SEARCH_ONLY_FICHES).map((hit) => ({
    ficheId: hit.ficheId,
    title: hit.title,
    url: hit.url,
    date: hit.date,
    audience: hit.audience,
    passages: hit.passages.slice(0, 2).map((passage) => ({ text: passage.text, sectionPath: passage.sectionPath })),
  }));
  const consulted = hits.slice(SEARCH_ONLY_FICHES).map((hit) => ({ ficheId: hit.ficheId, title: hit.title, url: hit.url, date: hit.date, audience: hit.audience, passages: [] }));
  const lines = ['Résultats de recherche (pas de brouillon rédigé) :', ''];
  sources.forEach((source, index) => {
    lines.push(`${index + 1}. ${source.title} — fiche du ${frenchDate(source.date)}`);
    for (const passage of source.passages) {
      if (passage.sectionPath.length > 0) lines.push(`   ${passage.sectionPath.join(' › ')}`);
      lines.push(`   ${passage.text.replace(/\n+/g, '\n   ')}`);
    }
    lines.push('');
  });
  if (sources.length === 0) lines.push('Aucune fiche ne correspond à cette question.');
  notices.push(byChoice ? SEARCH_ONLY_NOTICE : NO_MODEL_NOTICE);
  return {
    mode: 'search-only',
    answer: lines.join('\n').trim(),
    citations: [],
    invalidCitations: [],
    citationValidity: 1,
    sources,
    consulted,
    stopReason: 'no-model',
    notices,
  };
}
