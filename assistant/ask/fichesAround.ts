import { ONLINE_SERVICE_LABELS, type Fiche, type OnlineServiceType } from '../knowledge/knowledgeTypes.js';
import type { PracticalLink, RelatedQuestionLink } from './askTypes.js';

/** At most this many related questions and practical links are shown. */
export const MAX_AROUND = 5;

/** The types an agent acts on at the counter come first. */
const LINK_ORDER: readonly OnlineServiceType[] = ['teleservice', 'simulateur', 'formulaire', 'modele-de-document', 'outil-de-recherche', 'autre'];

/** Frequent questions listed by the fiches used (`QuestionReponse`), first fiche first, each once, not the fiches themselves. */
export function relatedQuestions(fiches: readonly Fiche[]): RelatedQuestionLink[] {
  const used = new Set(fiches.map((fiche) => fiche.id));
  const seen = new Set<string>();
  const questions: RelatedQuestionLink[] = [];
  for (const fiche of fiches) {
    for (const related of fiche.relatedQuestions) {
      if (used.has(related.ficheId) || seen.has(related.ficheId)) continue;
      seen.add(related.ficheId);
      questions.push({ question: related.question, ficheId: related.ficheId });
    }
  }
  return questions.slice(0, MAX_AROUND);
}

/** Téléservices, simulateurs, formulaires… of the fiches used, typed, each URL once, the actionable ones first. */
export function practicalLinks(fiches: readonly Fiche[]): PracticalLink[] {
  const seen = new Set<string>();
  const links: (PracticalLink & { order: number })[] = [];
  fiches.forEach((fiche, rank) => {
    for (const service of fiche.onlineServices) {
      if (!service.url || seen.has(service.url)) continue;
      seen.add(service.url);
      links.push({
        title: service.title,
        url: service.url,
        type: service.type,
        typeLabel: ONLINE_SERVICE_LABELS[service.type],
        ...(service.institution ? { institution: service.institution } : {}),
        ficheId: fiche.id,
        order: LINK_ORDER.indexOf(service.type) * 100 + rank * 10 + links.length / 1000,
      });
    }
  });
  return links
    .sort((a, b) => a.order - b.order)
    .slice(0, MAX_AROUND)
    .map(({ order: _order, ...link }) => link);
}
