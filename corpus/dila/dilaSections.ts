/**
 * A DILA publication's text → `FicheSection[]`, in document order. The structure elements (`ListeSituations/
 * Situation`, `Chapitre`, `SousChapitre`, `BlocCas/Cas`) open a level whose title joins the section path
 * (Situation › Chapitre › SousChapitre › Cas); everything else is rendered to Markdown by `dilaBlocks.ts`.
 */
import type { FicheSection } from '../fiche.js';
import { renderBlock, renderChildren, inlineText, titleOf } from './dilaBlocks.js';
import { renderList, SectionAccumulator, type ListItem } from './markdownWriter.js';
import { childElement, collapseSpaces, type XmlElement } from './xmlTree.js';

/** Elements that open a titled level of the section path. */
const LEVELS = new Set(['Situation', 'Chapitre', 'SousChapitre', 'Cas']);

/** Elements that group levels or blocks without a title of their own. */
const GROUPS = new Set(['ListeSituations', 'BlocCas', 'Texte', 'Introduction', 'FragmentConditionne']);

/** Elements that never hold text of the fiche itself, at any depth. */
const SKIPPED = new Set(['Titre', 'TitreAlternatif', 'Condition']);

/** Path of the glossary section that closes a fiche with `Definition` / `Abreviation` entries. */
export const GLOSSARY_PATH: readonly string[] = ['Définitions'];

/** Path of the section listing the commented external links of a « Fiche avec liens externes ». */
export const EXTERNAL_LINKS_PATH: readonly string[] = ['Liens utiles'];

/**
 * The sections of a `Publication`: `Avertissement` and `Introduction` and the top `Texte` under the empty path, then
 * the situations, chapters and cases, then the commented external links and the glossary (`Definition`,
 * `Abreviation`) — the latter keep the definitions the text links to (`LienIntra`), which a reader of a passage
 * cannot follow offline. Metadata, navigation and questionnaires (`Questionnaire`, `Problematiques`) give no section.
 */
export function publicationSections(publication: XmlElement): FicheSection[] {
  const builder = new SectionAccumulator();
  const links: ListItem[] = [];
  const glossary: ListItem[] = [];
  for (const child of publication.children) {
    if (typeof child === 'string') continue;
    switch (child.name) {
      case 'Avertissement':
        // A dated warning (« Covid-19 : … ») shown above the fiche: it belongs with the introduction.
        builder.add([], renderBlock(child));
        break;
      case 'Introduction':
      case 'Texte':
      case 'ListeSituations':
        walk(child, [], builder);
        break;
      case 'LienExterneCommente':
        links.push(externalLink(child));
        break;
      case 'Definition':
      case 'Abreviation': {
        const term = titleOf(child);
        const meaning = collapseSpaces(renderChildren(childElement(child, 'Texte') ?? child).join(' '));
        if (term !== '' && meaning !== '') glossary.push({ text: `**${term}** : ${meaning}`, nested: [] });
        break;
      }
      default:
        break;
    }
  }
  builder.add(EXTERNAL_LINKS_PATH, nonEmpty(renderList(links, false).join('\n')));
  builder.add(GLOSSARY_PATH, nonEmpty(renderList(dedupeGlossary(glossary), false).join('\n')));
  return builder.build();
}

function walk(el: XmlElement, path: readonly string[], builder: SectionAccumulator): void {
  for (const child of el.children) {
    if (typeof child === 'string') {
      builder.add(path, nonEmpty(collapseSpaces(child)));
    } else if (SKIPPED.has(child.name)) {
      continue;
    } else if (LEVELS.has(child.name)) {
      const title = titleOf(child);
      walk(child, title === '' ? path : [...path, title], builder);
    } else if (GROUPS.has(child.name) && containsLevel(child)) {
      walk(child, path, builder);
    } else {
      builder.add(path, renderBlock(child));
    }
  }
}

/** True when a group holds structure below it (else it is rendered as plain blocks, which is cheaper). */
function containsLevel(el: XmlElement): boolean {
  return el.children.some((c) => typeof c !== 'string' && (LEVELS.has(c.name) || (GROUPS.has(c.name) && containsLevel(c))));
}

/** « Title (Source) : comment » for an external link of a « Fiche avec liens externes ». */
function externalLink(el: XmlElement): ListItem {
  const title = inlineText(childElement(el, 'LienExterne'), true);
  const source = inlineText(childElement(el, 'Source'), true);
  const commentEl = childElement(el, 'Commentaire');
  const comment = commentEl === undefined ? '' : collapseSpaces(renderChildren(commentEl).join(' '));
  let text = title;
  if (source !== '' && source !== title) text += ` (${source})`;
  if (comment !== '') text += ` : ${comment}`;
  return { text, nested: [] };
}

/** The same term is sometimes defined twice (once per audience): keep the first. */
function dedupeGlossary(items: ListItem[]): ListItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.text)) return false;
    seen.add(item.text);
    return true;
  });
}

function nonEmpty(text: string): string[] {
  return text.trim() === '' ? [] : [text];
}
