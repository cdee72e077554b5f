/**
 * The knowledge domain: a fiche of service-public.fr (DILA « Vos droits et démarches ») or of
 * travail-emploi.gouv.fr, read from its official feed and ready to be chunked, indexed and shown.
 */

/** Public a fiche is written for. DILA publishes one feed per audience. */
export type Audience = 'particuliers' | 'professionnels' | 'associations';
export const AUDIENCES: readonly Audience[] = ['particuliers', 'professionnels', 'associations'];

/** The key of a fiche variant, `audience:id`: the index keys a fiche in each audience that has it. */
export function ficheKey(fiche: { audience: Audience; id: string }): string {
  return `${fiche.audience}:${fiche.id}`;
}

/** The fiche id of a variant key (`audience:id`, as the index keys a fiche in one audience). */
export function ficheIdOfKey(key: string): string {
  return key.slice(key.indexOf(':') + 1);
}

/** The audience part of a variant key (`audience:id`). */
export function audienceOfKey(key: string): string {
  return key.slice(0, key.indexOf(':'));
}

/** Where a fiche comes from. */
export type CorpusSource = 'dila' | 'travail-emploi';

/**
 * What kind of publication a fiche is, from DILA's `type` attribute:
 * `information` (« Fiche d'information »), `question-reponse`, `comment-faire-si`, `liens-externes`,
 * `recherche-guidee` (navigation only), `dossier` and `theme` (N publications), `fiche-travail`.
 */
export type FicheKind =
  | 'information'
  | 'question-reponse'
  | 'comment-faire-si'
  | 'liens-externes'
  | 'recherche-guidee'
  | 'dossier'
  | 'theme'
  | 'fiche-travail';

/** Type of a practical link, as DILA names it (`ServiceEnLigne/@type`, R resources). */
export type OnlineServiceType =
  | 'teleservice'
  | 'simulateur'
  | 'formulaire'
  | 'modele-de-document'
  | 'outil-de-recherche'
  | 'autre';

/** French label of each practical link type, for the agent. */
export const ONLINE_SERVICE_LABELS: Record<OnlineServiceType, string> = {
  teleservice: 'Téléservice',
  simulateur: 'Simulateur',
  formulaire: 'Formulaire',
  'modele-de-document': 'Modèle de document',
  'outil-de-recherche': 'Outil de recherche',
  autre: 'Lien utile',
};

/** A téléservice, simulateur, formulaire… (`ServiceEnLigne`, or an R resource of the feed). */
export interface OnlineService {
  /** DILA resource id (`R45668`). */
  id: string;
  title: string;
  url: string;
  type: OnlineServiceType;
  /** Institution that runs it (`Source`), e.g. « Agence nationale des titres sécurisés (ANTS) ». */
  institution?: string;
  /** Cerfa number of a formulaire, when given. */
  cerfa?: string;
  /** Short help text (« Accessible avec un compte ANTS… »). */
  description?: string;
}

/** A question of another fiche that this fiche lists as related (`QuestionReponse`). */
export interface RelatedQuestion {
  question: string;
  ficheId: string;
}

/** An « Où s'adresser ? » entry: the office or service the citizen should contact. */
export interface Contact {
  id: string;
  title: string;
  /** `local` (a mairie, a préfecture: depends on where one lives) or `national` (a call centre, a website). */
  scope: 'local' | 'national';
  url?: string;
  institution?: string;
  /** Plain text details (phone, hours, address), when the feed gives them. */
  details?: string;
}

/** A reference text (law, decree, circular) with its Légifrance link. */
export interface LegalReference {
  id?: string;
  title: string;
  url?: string;
}

/** A link from a fiche to another one (a dossier's member, a breadcrumb level). */
export interface FicheLink {
  id: string;
  title: string;
}

/** The fiches of the dossier a fiche belongs to, grouped as service-public.fr shows them. */
export interface Dossier {
  id: string;
  title: string;
  groups: { title?: string; fiches: FicheLink[] }[];
}

/**
 * One section of a fiche's text, in document order. `path` is the chain of titles that leads to it
 * (Situation › Chapitre › SousChapitre › Cas); `text` is Markdown: paragraphs separated by blank lines,
 * lists as `- `, tables as pipe tables, « À noter » / « À savoir » / « Attention » as `> **À noter** : …`.
 */
export interface FicheSection {
  path: string[];
  text: string;
}

export interface Fiche {
  /** `F1342`, `N358`; travail-emploi fiches are prefixed: `T:article375542`. */
  id: string;
  source: CorpusSource;
  audience: Audience;
  /**
   * Every audience the fiche is published for (DILA `<Audience>`), `audience` included. A fiche shared by two feeds
   * (118 F fiches are in both the particuliers and professionnels feeds) is kept once, under its first feed's
   * `audience`; this list lets an audience filter still find it. Absent means `[audience]`.
   */
  audiences?: Audience[];
  kind: FicheKind;
  title: string;
  description: string;
  /** Last modification, ISO `YYYY-MM-DD`. */
  date: string;
  /** Public page of the fiche. */
  url: string;
  /** Theme titles (`Theme/Titre`). */
  themes: string[];
  /** From the audience's home to the fiche itself (`FilDAriane`). */
  breadcrumb: FicheLink[];
  dossier?: Dossier;
  /** Introduction then sections, in order. Empty for navigation pages. */
  sections: FicheSection[];
  relatedQuestions: RelatedQuestion[];
  /**
   * The fiches this one points to, with the words it uses for them: in-text links (`LienInterne`, the anchor text)
   * then « Voir aussi » (the target's title). Search learns from them what other fiches call a fiche and which
   * fiches the others depend on. Absent in indexes written before it was read.
   */
  links?: FicheLink[];
  onlineServices: OnlineService[];
  contacts: Contact[];
  references: LegalReference[];
  /**
   * False for pages with no text of their own (« Recherche guidée », empty entries, themes): kept for
   * navigation, never returned as a search hit.
   */
  searchable: boolean;
}

/** A passage of a fiche sized for a 7B model's context, the unit of search and citation. */
export interface Chunk {
  /** `${ficheId}#${ordinal}`. */
  id: string;
  ficheId: string;
  ordinal: number;
  /** Section titles above the passage, outermost first. */
  sectionPath: string[];
  /** The passage itself (Markdown), whole sentences only. */
  text: string;
  /** Approximate size in model tokens (a French word is ~1.4 tokens for Llama/Mistral tokenizers). */
  tokenEstimate: number;
}
