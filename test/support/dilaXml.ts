/**
 * Small DILA XML documents for unit tests, shaped like the real feed (schema 3.3): a `Publication` with its Dublin
 * Core metadata and breadcrumb around a body the test writes, or a `ServiceComplementaire` resource.
 */
import { parseDilaEntry } from '../../corpus/dila/dilaEntry.js';
import type { Fiche, OnlineService } from '../../corpus/fiche.js';

/** What varies between test publications; `null` leaves an element or attribute out. */
export interface PublicationFixture {
  id?: string | null;
  type?: string;
  /** Schema version in `xsi:noNamespaceSchemaLocation`. Default `3.3`. */
  schema?: string | null;
  title?: string | null;
  description?: string;
  /** `dc:date` text. Default `modified 2020-07-21`. */
  date?: string | null;
  /** `<Audience>` texts. Default `['Particuliers']`. */
  audiences?: string[];
  /** First breadcrumb level id (the feed). Default `Particuliers`. */
  feed?: string;
  spUrl?: string | null;
  /** XML after the metadata: `Texte`, `ListeSituations`, `QuestionReponse`… */
  body?: string;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** A `Publication` document. */
export function publicationXml(f: PublicationFixture = {}): string {
  const id = f.id === undefined ? 'F9001' : f.id;
  const title = f.title === undefined ? 'Fiche de test' : f.title;
  const schema = f.schema === undefined ? '3.3' : f.schema;
  const attrs = [
    'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    id === null ? '' : `ID="${id}"`,
    `type="${escapeAttr(f.type ?? "Fiche d'information")}"`,
    schema === null ? '' : `xsi:noNamespaceSchemaLocation="../Schemas/${schema}/Publication.xsd"`,
    f.spUrl === null || f.spUrl === undefined ? '' : `spUrl="${escapeAttr(f.spUrl)}"`,
  ].filter((a) => a !== '');
  const feed = f.feed ?? 'Particuliers';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Publication ${attrs.join(' ')}>`,
    title === null ? '' : `<dc:title>${title}</dc:title>`,
    `<dc:description>${f.description ?? 'Description de test.'}</dc:description>`,
    f.date === null ? '' : `<dc:date>${f.date ?? 'modified 2020-07-21'}</dc:date>`,
    ...(f.audiences ?? ['Particuliers']).map((a) => `<Audience>${a}</Audience>`),
    `<FilDAriane><Niveau ID="${feed}">Accueil</Niveau><Niveau ID="N1">Thème</Niveau>`,
    id === null || title === null ? '' : `<Niveau ID="${id}">${title}</Niveau>`,
    '</FilDAriane>',
    '<Theme ID="N19810"><Titre>Papiers - Citoyenneté</Titre></Theme>',
    f.body ?? '',
    '</Publication>',
  ].join('');
}

/** What varies between test resources. */
export interface ResourceFixture {
  id?: string;
  type?: string;
  title?: string;
  url?: string | null;
  source?: string;
  intro?: string;
  cerfa?: string;
}

/** A `ServiceComplementaire` (R file) document. */
export function resourceXml(r: ResourceFixture = {}): string {
  const id = r.id ?? 'R9001';
  const type = r.type ?? 'Téléservice';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<ServiceComplementaire xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${id}" type="${type}" xsi:noNamespaceSchemaLocation="../Schemas/3.3/ServiceComplementaire.xsd" spUrl="https://www.service-public.fr/particuliers/vosdroits/${id}">`,
    `<dc:title>${type} : ${r.title ?? 'Service de test'}</dc:title>`,
    '<dc:date>modified 2019-11-28</dc:date>',
    `<FilDAriane><Niveau ID="Particuliers">Accueil particuliers</Niveau><Niveau ID="${id}" type="${type}">${r.title ?? 'Service de test'}</Niveau></FilDAriane>`,
    r.cerfa === undefined ? '' : `<NumeroCerfa>${r.cerfa}</NumeroCerfa>`,
    r.intro === undefined ? '' : `<Introduction><Texte><Paragraphe>${r.intro}</Paragraphe></Texte></Introduction>`,
    r.url === null ? '' : `<LienWeb URL="${r.url ?? 'https://exemple.gouv.fr/service'}"><Source>${r.source ?? 'Ministère de test'}</Source></LienWeb>`,
    '</ServiceComplementaire>',
  ].join('');
}

/** Parses a test publication and returns its fiche; fails the test with the parser's message otherwise. */
export function ficheOf(f: PublicationFixture = {}): Fiche {
  const result = parseDilaEntry(`${f.id ?? 'F9001'}.xml`, publicationXml(f));
  if (!result.ok) throw result.error;
  if (result.item.type !== 'fiche') throw new Error('attendu : une fiche');
  return result.item.fiche;
}

/** Parses a test resource and returns its online service. */
export function serviceOf(r: ResourceFixture = {}): OnlineService {
  const result = parseDilaEntry(`${r.id ?? 'R9001'}.xml`, resourceXml(r));
  if (!result.ok) throw result.error;
  if (result.item.type !== 'resource') throw new Error('attendu : une ressource');
  return result.item.service;
}

/** The Markdown of the fiche's sections, `path :: text` per section, for compact assertions. */
export function sectionsOf(body: string): { path: string; text: string }[] {
  return ficheOf({ body }).sections.map((s) => ({ path: s.path.join(' › '), text: s.text }));
}
