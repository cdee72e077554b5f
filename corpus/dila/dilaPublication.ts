/**
 * A DILA `Publication` (F fiches, N dossiers and themes) → `Fiche`. Text goes through `dilaSections.ts`; this file
 * reads the metadata and the practical data: related questions, online services, contacts, references, dossier.
 */
import type { Audience, Contact, Dossier, Fiche, FicheLink, LegalReference, OnlineService, RelatedQuestion } from '../fiche.js';
import { CorpusError } from '../corpusError.js';
import { inlineText, plainLines, summaryText, titleOf } from './dilaBlocks.js';
import { publicationSections } from './dilaSections.js';
import {
  audienceFromLabel,
  contactScopeFromType,
  ficheKindFromType,
  isoDateFrom,
  isSearchableKind,
  onlineServiceTypeFromLabel,
  serviceFicheUrl,
} from './dilaVocabulary.js';
import { attr, childElement, childElements, collapseSpaces, findAll, plainText, type XmlElement } from './xmlTree.js';

/** Options of {@link publicationToFiche}. */
export interface PublicationOptions {
  /** File name, for error messages. */
  file: string;
  /**
   * Audience of the feed, for a file that does not name its own. The audience is the feed named by the
   * breadcrumb's first level (`FilDAriane/Niveau/@ID` « Particuliers »…: the same F file differs between the
   * particuliers and professionnels feeds only by its navigation), else this option, else the first `<Audience>`,
   * else `particuliers`.
   */
  audience?: Audience;
}

/**
 * Reads a `Publication` element into a `Fiche`. Online services keep what the fiche says of them; those without a URL
 * get an empty `url`, filled later from the feed's R resources by `assembleDilaCorpus`.
 *
 * @throws CorpusError `xml-invalid` when the publication has no `ID` or no title.
 */
export function publicationToFiche(publication: XmlElement, options: PublicationOptions): Fiche {
  const { file } = options;
  const id = attr(publication, 'ID') ?? collapseSpaces(plainText(childElement(publication, 'dc:identifier')));
  if (id === '') {
    throw new CorpusError('xml-invalid', `Le fichier ${file} n'est pas une fiche exploitable : identifiant (ID) absent.`, { file });
  }
  const title = inlineText(childElement(publication, 'dc:title'), true);
  if (title === '') {
    throw new CorpusError('xml-invalid', `La fiche ${id} (${file}) n'est pas exploitable : titre (dc:title) absent.`, { file });
  }
  const breadcrumb = childElements(childElement(publication, 'FilDAriane'), 'Niveau').map(
    (n): FicheLink => ({ id: attr(n, 'ID') ?? '', title: inlineText(n, true) }),
  );
  const audiences = unique(childElements(publication, 'Audience').map((a) => audienceFromLabel(plainText(a))));
  const audience = audienceFromLabel(breadcrumb[0]?.id) ?? options.audience ?? audiences[0] ?? 'particuliers';
  const kind = ficheKindFromType(attr(publication, 'type'), id);
  const sections = publicationSections(publication);
  const dossier = dossierOf(publication, id, title);
  const fiche: Fiche = {
    id,
    source: 'dila',
    audience,
    kind,
    title,
    description: inlineText(childElement(publication, 'dc:description'), true),
    date:
      isoDateFrom(plainText(childElement(publication, 'dc:date'))) ??
      isoDateFrom(attr(publication, 'dateDerniereModificationImportante')) ??
      '',
    url: attr(publication, 'spUrl') ?? serviceFicheUrl(audience, id),
    themes: unique(childElements(publication, 'Theme').map((t) => titleOf(t) || undefined)),
    breadcrumb: breadcrumb.filter((b) => b.id !== '' && b.title !== ''),
    sections,
    relatedQuestions: relatedQuestions(publication),
    links: outgoingLinks(publication, id),
    onlineServices: onlineServices(publication),
    contacts: contacts(publication),
    references: references(publication),
    searchable: isSearchableKind(kind, sections.length > 0),
    audiences: audiences.includes(audience) ? audiences : [audience, ...audiences],
  };
  if (dossier !== undefined) fiche.dossier = dossier;
  return fiche;
}

/**
 * The dossier a fiche belongs to (`DossierPere`, grouped by `SousDossier`), or for a dossier or theme its own
 * members (`SousDossier/Fiche`, `Fiche`, `SousTheme/Dossier`).
 */
function dossierOf(publication: XmlElement, id: string, title: string): Dossier | undefined {
  const parent = childElement(publication, 'DossierPere');
  if (parent !== undefined) {
    const parentId = attr(parent, 'ID');
    if (parentId === undefined) return undefined;
    return { id: parentId, title: titleOf(parent), groups: groupsOf(parent, 'SousDossier', 'Fiche') };
  }
  const groups = [...groupsOf(publication, 'SousDossier', 'Fiche'), ...groupsOf(publication, 'SousTheme', 'Dossier')];
  if (!id.startsWith('N') || groups.length === 0) return undefined;
  return { id, title, groups };
}

function groupsOf(el: XmlElement, groupName: string, memberName: string): Dossier['groups'] {
  const links = (parent: XmlElement): FicheLink[] =>
    childElements(parent, memberName)
      .map((m): FicheLink => ({ id: attr(m, 'ID') ?? '', title: titleOf(m) || inlineText(m, true) }))
      .filter((l) => l.id !== '' && l.title !== '');
  const groups: Dossier['groups'] = childElements(el, groupName)
    .map((g) => ({ title: titleOf(g), fiches: links(g) }))
    .filter((g) => g.fiches.length > 0)
    .map((g) => (g.title === '' ? { fiches: g.fiches } : g));
  // Members listed directly under the parent form one untitled group, first as service-public.fr shows them.
  const direct = links(el);
  return direct.length > 0 ? [{ fiches: direct }, ...groups] : groups;
}

function relatedQuestions(publication: XmlElement): RelatedQuestion[] {
  const seen = new Set<string>();
  const out: RelatedQuestion[] = [];
  for (const q of childElements(publication, 'QuestionReponse')) {
    const ficheId = attr(q, 'ID');
    const question = inlineText(q, true);
    if (ficheId === undefined || question === '' || seen.has(ficheId)) continue;
    seen.add(ficheId);
    out.push({ question, ficheId });
  }
  return out;
}

/**
 * In-text links to other publications (`LienInterne/@LienPublication`, with their anchor text) then the
 * « Voir aussi » fiches (`VoirAussi/Fiche`, with their title); one entry per target and anchor, self-links left out.
 */
function outgoingLinks(publication: XmlElement, id: string): FicheLink[] {
  const inText = findAll(publication, 'LienInterne').map((el): FicheLink => ({ id: attr(el, 'LienPublication') ?? '', title: inlineText(el, true) }));
  const seeAlso = childElements(publication, 'VoirAussi').flatMap((block) =>
    childElements(block, 'Fiche').map((el): FicheLink => ({ id: attr(el, 'ID') ?? '', title: titleOf(el) })),
  );
  const seen = new Set<string>();
  return [...inText, ...seeAlso].filter((link) => {
    const key = `${link.id} ${link.title}`;
    if (!/^[FN]\d+$/.test(link.id) || link.id === id || link.title === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every `ServiceEnLigne` of the fiche, in the text or in the closing list, merged by id (first seen first). */
function onlineServices(publication: XmlElement): OnlineService[] {
  const byId = new Map<string, OnlineService>();
  for (const el of findAll(publication, 'ServiceEnLigne')) {
    const id = attr(el, 'ID');
    if (id === undefined) continue;
    const service: OnlineService = {
      id,
      title: titleOf(el),
      url: attr(el, 'URL') ?? '',
      type: onlineServiceTypeFromLabel(attr(el, 'type')),
    };
    const institution = inlineText(childElement(el, 'Source'), true);
    if (institution !== '') service.institution = institution;
    const cerfa = attr(el, 'numerocerfa');
    if (cerfa !== undefined) service.cerfa = cerfa;
    const description = summaryText(childElement(el, 'Introduction'));
    if (description !== '') service.description = description;
    const known = byId.get(id);
    byId.set(id, known === undefined ? service : fillMissing(known, service));
  }
  return [...byId.values()].filter((s) => s.title !== '');
}

/** `target` with its empty fields taken from `extra` (the in-text box often has the description the list lacks). */
export function fillMissing(target: OnlineService, extra: Partial<OnlineService>): OnlineService {
  const merged: OnlineService = { ...target };
  if (merged.title === '' && extra.title !== undefined) merged.title = extra.title;
  if (merged.url === '' && extra.url !== undefined) merged.url = extra.url;
  if (merged.type === 'autre' && extra.type !== undefined) merged.type = extra.type;
  if (merged.institution === undefined && extra.institution !== undefined) merged.institution = extra.institution;
  if (merged.cerfa === undefined && extra.cerfa !== undefined) merged.cerfa = extra.cerfa;
  if (merged.description === undefined && extra.description !== undefined) merged.description = extra.description;
  return merged;
}

function contacts(publication: XmlElement): Contact[] {
  const byId = new Map<string, Contact>();
  for (const el of findAll(publication, 'OuSAdresser')) {
    const id = attr(el, 'ID');
    const title = titleOf(el);
    if (id === undefined || title === '' || byId.has(id)) continue;
    const contact: Contact = { id, title, scope: contactScopeFromType(attr(el, 'type')) };
    const url = attr(childElement(el, 'RessourceWeb'), 'URL');
    if (url !== undefined) contact.url = url;
    const institution = inlineText(childElement(el, 'Source'), true);
    if (institution !== '') contact.institution = institution;
    const details = [inlineText(childElement(el, 'Complement'), true), plainLines(childElement(el, 'Texte'))]
      .filter((d) => d !== '')
      .join('\n');
    if (details !== '') contact.details = details;
    byId.set(id, contact);
  }
  return [...byId.values()];
}

function references(publication: XmlElement): LegalReference[] {
  const out: LegalReference[] = [];
  const seen = new Set<string>();
  for (const el of childElements(publication, 'Reference')) {
    const title = titleOf(el);
    if (title === '') continue;
    const complement = inlineText(childElement(el, 'Complement'), true);
    const ref: LegalReference = { title: complement === '' ? title : `${title} - ${complement}` };
    const id = attr(el, 'ID');
    if (id !== undefined) ref.id = id;
    const url = attr(el, 'URL');
    if (url !== undefined) ref.url = url;
    const key = id ?? ref.title;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

function unique<T>(values: (T | undefined)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined && v !== ''))];
}
