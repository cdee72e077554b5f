/**
 * A DILA resource (`R*.xml`, root `ServiceComplementaire`: téléservice, formulaire, simulateur, modèle de document,
 * outil de recherche) → `OnlineService`. Fiches cite these by id (`ServiceEnLigne/@ID`), sometimes without URL or
 * institution: the resources of the feed complete them.
 */
import type { Audience, OnlineService } from '../fiche.js';
import { CorpusError } from '../corpusError.js';
import { inlineText, summaryText } from './dilaBlocks.js';
import { audienceFromLabel, onlineServiceTypeFromLabel, serviceFicheUrl } from './dilaVocabulary.js';
import { attr, childElement, childElements, collapseSpaces, plainText, type XmlElement } from './xmlTree.js';

/**
 * The label DILA puts before a resource's title (« Téléservice : », « Formulaire 15695*01 : », « Modèle de
 * document : »…): the title shown to the agent goes without it, the type already says it.
 */
const TITLE_PREFIX = /^(téléservice|simulateur|formulaire|modèle de document|modèle de lettre|outil de recherche|service en ligne et formulaire)[^:]{0,30}:\s*/i;

/**
 * Reads a `ServiceComplementaire` element. URL: `LienWeb/@URL`, else the resource's page on service-public.fr
 * (modèles de document have no other). Description: the `Introduction`, else the `Texte`, summarised.
 *
 * @param file File name, for error messages.
 * @param audience The feed's audience, for the resource page URL when the breadcrumb does not name it.
 * @throws CorpusError `xml-invalid` when the resource has no `ID` or no title.
 */
export function resourceToOnlineService(resource: XmlElement, file: string, audience?: Audience): OnlineService {
  const id = attr(resource, 'ID') ?? collapseSpaces(plainText(childElement(resource, 'dc:identifier')));
  if (id === '') {
    throw new CorpusError('xml-invalid', `Le fichier ${file} n'est pas une ressource exploitable : identifiant (ID) absent.`, { file });
  }
  // The breadcrumb's last level names the resource itself, already without the type prefix.
  const levels = childElements(childElement(resource, 'FilDAriane'), 'Niveau');
  const own = levels.find((n) => attr(n, 'ID') === id);
  const title = inlineText(own, true) || inlineText(childElement(resource, 'dc:title'), true).replace(TITLE_PREFIX, '');
  if (title === '') {
    throw new CorpusError('xml-invalid', `La ressource ${id} (${file}) n'est pas exploitable : titre (dc:title) absent.`, { file });
  }
  const link = childElement(resource, 'LienWeb');
  const feedAudience = audienceFromLabel(attr(levels[0], 'ID')) ?? audience ?? 'particuliers';
  const service: OnlineService = {
    id,
    title,
    url: attr(link, 'URL') ?? attr(resource, 'spUrl') ?? serviceFicheUrl(feedAudience, id),
    type: onlineServiceTypeFromLabel(attr(resource, 'type')),
  };
  const institution = inlineText(childElement(link, 'Source'), true);
  if (institution !== '') service.institution = institution;
  const cerfa = inlineText(childElement(resource, 'NumeroCerfa'), true);
  if (cerfa !== '') service.cerfa = cerfa;
  const description = summaryText(childElement(resource, 'Introduction')) || summaryText(childElement(resource, 'Texte'));
  if (description !== '') service.description = description;
  return service;
}
