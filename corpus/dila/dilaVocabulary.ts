/**
 * DILA's labels (French, as written in the feeds) mapped to the domain's words, and the checks on the schema version.
 * All matching is done on a normalised label (lower case, typographic apostrophes straightened, accents kept) so
 * that `Fiche d’information` and `Fiche d'information conditionnée` land on the same kind.
 */
import type { Audience, FicheKind, OnlineServiceType } from '../fiche.js';
import { CorpusError } from '../corpusError.js';

/** Path segment of each audience on service-public.fr. */
export const AUDIENCE_URL_SEGMENTS: Record<Audience, string> = {
  particuliers: 'particuliers',
  professionnels: 'professionnels-entreprises',
  associations: 'associations',
};

/** Major versions of the DILA schema this reader understands (3.0 to 3.4 are all in use; 3.4 adds elements only). */
export const SUPPORTED_SCHEMA_MAJOR = 3;

function normalise(label: string | undefined): string {
  return (label ?? '').replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * The audience named by `<Audience>` or by the first `FilDAriane/Niveau/@ID`
 * (« Particuliers », « Professionnels », « Entreprises », « Associations »); `undefined` for anything else.
 */
export function audienceFromLabel(label: string | undefined): Audience | undefined {
  const l = normalise(label);
  if (l.startsWith('particulier')) return 'particuliers';
  if (l.startsWith('professionnel') || l.startsWith('entreprise')) return 'professionnels';
  if (l.startsWith('association')) return 'associations';
  return undefined;
}

/**
 * The kind of a publication from its `type` attribute. « … conditionnée » and « … - simulateur » variants map to
 * their base kind. An unknown label falls back on the id's letter (`N` → dossier, otherwise information) rather than
 * failing: a new label in a later schema must not stop an import.
 */
export function ficheKindFromType(type: string | undefined, id: string): FicheKind {
  const t = normalise(type);
  if (t.startsWith("fiche d'information")) return 'information';
  if (t.startsWith('fiche question-réponse') || t.startsWith('fiche question-reponse')) return 'question-reponse';
  if (t.startsWith('fiche comment faire si')) return 'comment-faire-si';
  if (t.startsWith('fiche avec liens externes')) return 'liens-externes';
  if (t.startsWith('recherche guidée') || t.startsWith('recherche guidee')) return 'recherche-guidee';
  if (t === 'dossier') return 'dossier';
  if (t === 'theme' || t === 'thème' || t.startsWith('sous-th')) return 'theme';
  return id.startsWith('N') ? 'dossier' : 'information';
}

/** Kinds whose text is worth returning as a search hit (when they have text at all). */
const SEARCHABLE_KINDS: ReadonlySet<FicheKind> = new Set<FicheKind>([
  'information',
  'question-reponse',
  'comment-faire-si',
  'liens-externes',
  'fiche-travail',
]);

/** Whether a fiche of this kind, with or without text, should be a search hit. */
export function isSearchableKind(kind: FicheKind, hasText: boolean): boolean {
  return hasText && SEARCHABLE_KINDS.has(kind);
}

/**
 * The practical-link type from `ServiceEnLigne/@type` or `ServiceComplementaire/@type`
 * (« Téléservice », « Téléservice personnalisé sur SP », « Simulateur », « Formulaire », « Modèle de document »,
 * « Outil de recherche »); `autre` for anything else.
 */
export function onlineServiceTypeFromLabel(label: string | undefined): OnlineServiceType {
  const l = normalise(label);
  if (l.startsWith('téléservice') || l.startsWith('teleservice')) return 'teleservice';
  if (l.startsWith('simulateur')) return 'simulateur';
  if (l.startsWith('formulaire')) return 'formulaire';
  if (l.startsWith('modèle') || l.startsWith('modele')) return 'modele-de-document';
  if (l.startsWith('outil de recherche')) return 'outil-de-recherche';
  return 'autre';
}

/**
 * The scope of an `OuSAdresser` from its `type`: « Local », « Local personnalisé sur SP », « Local personnalisable »
 * are local; « National », « Centre de contact », « Support » and anything else are national.
 */
export function contactScopeFromType(type: string | undefined): 'local' | 'national' {
  return normalise(type).startsWith('local') ? 'local' : 'national';
}

/** `modified 2020-07-21` (or `2020-01-01T00:00:00`) → `2020-07-21`; `undefined` when no date is found. */
export function isoDateFrom(text: string | undefined): string | undefined {
  const match = /(\d{4})-(\d{2})-(\d{2})/.exec(text ?? '');
  return match === null ? undefined : `${match[1]}-${match[2]}-${match[3]}`;
}

/** The public page of a DILA publication or resource. */
export function serviceFicheUrl(audience: Audience, id: string): string {
  return `https://www.service-public.fr/${AUDIENCE_URL_SEGMENTS[audience]}/vosdroits/${id}`;
}

/**
 * Checks the schema named by `xsi:noNamespaceSchemaLocation` (`../Schemas/3.3/Publication.xsd`). Any 3.x is
 * accepted; a file without the attribute is accepted too (the feed has always carried it, its absence says nothing
 * about the structure).
 *
 * @throws CorpusError `schema-unsupported` for another major version.
 */
export function assertSupportedSchema(schemaLocation: string | undefined, file: string): void {
  if (schemaLocation === undefined) return;
  const match = /(\d+)\.(\d+)(?:\.\d+)?\//.exec(schemaLocation);
  if (match === null) return;
  const major = Number(match[1]);
  if (major !== SUPPORTED_SCHEMA_MAJOR) {
    throw new CorpusError(
      'schema-unsupported',
      `Le fichier ${file} suit la version ${match[1]}.${match[2]} du format DILA, que Guichet ne sait pas lire ` +
        `(versions ${SUPPORTED_SCHEMA_MAJOR}.x seulement). Mettez Guichet à jour.`,
      { file, cause: new Error(`schema location ${schemaLocation}`) },
    );
  }
}
