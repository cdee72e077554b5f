import { ficheKey, type Fiche } from '../fiche.js';
import { FICHE_PHRASINGS, type FichePhrasings } from './fichePhrasings.js';

/**
 * What the fiche-level retriever reads of a fiche, field by field. Beyond the title, a fiche is described by the
 * corpus itself in the words people use: its dossier and breadcrumb (« Revenu de solidarité active (RSA) » above
 * « RSA demandeur de 25 ans et plus »), the situations and cases it distinguishes (« Conditions d'attribution »),
 * its introduction, and what the other fiches call it when they point to it (the anchor text of their links, the
 * questions of the « question-réponse » fiches that send the reader there).
 */
export interface FicheFields {
  key: string;
  title: string;
  /** Breadcrumb levels between the audience's home and the fiche, the dossier and the dossier group it is listed in. */
  trail: string;
  /** Section titles (situations, chapters, cases), each once. */
  headings: string;
  /** Description and introduction. */
  summary: string;
  /** Anchor texts of the links that point to the fiche, and titles of the question fiches that link to it. */
  inbound: string;
  /** How people ask for it, in their words: phrasings written for each fiche (see fichePhrasings.ts). */
  asked: string;
  /** Every passage's text: not weighed by the fiche-level retriever, only read for what the fiche mentions (FicheMentions). */
  body: string;
  /** Distinct fiches that point to this one (in-text links, « Voir aussi », related questions, dossier members). */
  inlinks: number;
}

export type FieldName = Exclude<keyof FicheFields, 'key' | 'inlinks' | 'body'>;
export const FIELD_NAMES: readonly FieldName[] = ['title', 'trail', 'headings', 'summary', 'inbound', 'asked'];

/** Anchors kept per fiche: a much-linked fiche (« carte d'identité ») would otherwise be all anchors. */
const MAX_ANCHORS = 40;
/** Introduction characters kept: the first sentences say what the fiche is about, the rest is detail. */
const SUMMARY_CHARS = 600;

/** The fields of every searchable fiche, learnt from the whole corpus (links are counted across fiches). */
export function ficheFieldsOf(fiches: readonly Fiche[], phrasings: FichePhrasings = FICHE_PHRASINGS): FicheFields[] {
  const anchors = new Map<string, Set<string>>();
  const linkers = new Map<string, Set<string>>();
  const point = (from: Fiche, to: string, words?: string) => {
    if (to === from.id) return;
    const sources = linkers.get(to) ?? new Set<string>();
    sources.add(from.id);
    linkers.set(to, sources);
    if (words === undefined) return;
    const texts = anchors.get(to) ?? new Set<string>();
    if (texts.size < MAX_ANCHORS) texts.add(words);
    anchors.set(to, texts);
  };
  for (const fiche of fiches) {
    for (const link of fiche.links ?? []) point(fiche, link.id, link.title);
    // A question fiche that sends the reader to another fiche says, in its title, what that fiche answers.
    if (fiche.kind === 'question-reponse') for (const link of fiche.links ?? []) point(fiche, link.id, fiche.title);
    for (const related of fiche.relatedQuestions) point(fiche, related.ficheId);
    if (fiche.kind === 'dossier' || fiche.kind === 'theme') {
      for (const group of fiche.dossier?.groups ?? []) for (const member of group.fiches) point(fiche, member.id);
    }
  }
  return fiches
    .filter((fiche) => fiche.searchable)
    .map((fiche) => ({
      key: ficheKey(fiche),
      title: fiche.title,
      trail: trailOf(fiche),
      headings: [...new Set(fiche.sections.flatMap((section) => section.path))].join('\n'),
      summary: [fiche.description, introductionOf(fiche)].join('\n'),
      inbound: [...(anchors.get(fiche.id) ?? [])].filter((text) => text !== fiche.title).join('\n'),
      asked: (phrasings[fiche.id] ?? []).join('\n'),
      body: fiche.sections.map((section) => section.text).join('\n'),
      inlinks: linkers.get(fiche.id)?.size ?? 0,
    }));
}

function trailOf(fiche: Fiche): string {
  const levels = fiche.breadcrumb.slice(1).filter((level) => level.id !== fiche.id).map((level) => level.title);
  const dossier = fiche.dossier && fiche.dossier.id !== fiche.id ? fiche.dossier : undefined;
  const group = dossier?.groups.find((g) => g.fiches.some((member) => member.id === fiche.id))?.title;
  return [...new Set([...levels, dossier?.title, group].filter((text): text is string => !!text))].join('\n');
}

function introductionOf(fiche: Fiche): string {
  const intro = fiche.sections.find((section) => section.path.length === 0)?.text ?? '';
  return intro.replace(/[>*|#_-]+/g, ' ').slice(0, SUMMARY_CHARS);
}
