/**
 * DILA text elements → Markdown blocks: `Paragraphe` and its inline markup, `Liste`, `Tableau`, the callouts
 * (`ANoter`, `ASavoir`, `Attention`, `Rappel`) and the practical boxes met inside the text (`ServiceEnLigne`,
 * `OuSAdresser`, reduced to one line: the full data goes to the fiche's practical links and contacts).
 * Structure (`Chapitre`, `Cas`…) is walked by `dilaSections.ts`; this file only renders what sits inside.
 */
import { ONLINE_SERVICE_LABELS } from '../fiche.js';
import { bold, joinBlocks, mergeBoldRuns, renderCallout, renderList, renderTable, type ListItem, type TableRow } from './markdownWriter.js';
import { onlineServiceTypeFromLabel } from './dilaVocabulary.js';
import { attr, childElement, childElements, collapseSpaces, isElement, type XmlElement } from './xmlTree.js';

/** Default label of each callout element, used when it has no `Titre` of its own. */
const CALLOUT_LABELS: Readonly<Record<string, string>> = {
  ANoter: 'À noter',
  ASavoir: 'À savoir',
  Attention: 'Attention',
  Rappel: 'Rappel',
  Avertissement: 'Avertissement',
};

/** Elements that carry logic, layout or metadata, never text for the reader. */
const SILENT = new Set([
  'Condition', 'estVrai', 'estIndefini', 'et', 'ou', 'Image', 'Illustration', 'TitreAlternatif', 'PivotLocal',
  'Source', 'RessourceWeb', 'Resume', 'Credits', 'Legende', 'TexteDeRemplacement',
]);

/** Elements whose children are blocks, rendered in place. */
const TRANSPARENT = new Set(['Texte', 'Introduction', 'FragmentConditionne', 'ContenuIllustre', 'Contenu', 'Description', 'Commentaire']);

/** Elements that hold blocks, so that an inline rendering must put spaces around them. */
const BLOCK_LIKE = new Set(['Paragraphe', 'Item', 'Liste', 'Titre', 'Texte', 'Cellule', 'Rangée']);

/**
 * The inline text of an element, Markdown-formatted, whitespace collapsed: `MiseEnEvidence` → `**bold**`,
 * `Expression` → « … », `Exposant`/`Indice` glued (`1er`, `CO2`), `Variable` → `[lieu]`, links → their text.
 *
 * @param plain No bold, for titles and cells of headers.
 */
export function inlineText(el: XmlElement | undefined, plain = false): string {
  if (el === undefined) return '';
  return mergeBoldRuns(collapseSpaces(renderInline(el, plain)));
}

/** An ordinal's superscript (« 1<sup>er</sup> », « 2<sup>nde</sup> », « 4<sup>e</sup> »). */
const ORDINAL_SUFFIX = /^(?:er|ers|re|res|ère|ères|e|es|è|ème|èmes|nd|nds|nde|ndes)$/;

function renderInline(el: XmlElement, noBold: boolean): string {
  let out = '';
  let afterOrdinal = false;
  for (const child of el.children) {
    if (typeof child === 'string') {
      // The feeds sometimes glue the next word to an ordinal (« 1<Exposant>re</Exposant>immatriculation »).
      out += afterOrdinal && /^\p{L}/u.test(child) ? ` ${child}` : child;
      afterOrdinal = false;
      continue;
    }
    afterOrdinal = child.name === 'Exposant' && ORDINAL_SUFFIX.test(child.children.filter((c) => typeof c === 'string').join(''));
    if (SILENT.has(child.name)) continue;
    const inner = renderInline(child, noBold || child.name === 'MiseEnEvidence');
    switch (child.name) {
      case 'MiseEnEvidence':
        out += noBold ? inner : bold(inner);
        break;
      case 'Expression':
        // No space after an elision (« d'« associations loi 1901 » »): French sets the quote against the apostrophe.
        out += inner.trim() === '' ? inner : `${/['’]$/.test(out) ? '' : ' '}« ${inner.trim()} » `;
        break;
      case 'Variable':
        out += `[${inner.trim()}]`;
        break;
      default:
        // Links, values, superscripts… keep their text; block-like children must not glue words together.
        out += BLOCK_LIKE.has(child.name) ? ` ${inner} ` : inner;
    }
  }
  return out;
}

/** A section or callout title: `Titre` text (which may wrap a `Paragraphe`), without bold. */
export function titleOf(el: XmlElement | undefined): string {
  return inlineText(childElement(el, 'Titre'), true);
}

/**
 * Renders one element found in a text container to Markdown blocks (none for silent or empty elements).
 * Unknown elements are rendered through: their child blocks if they have elements, else their text as a paragraph,
 * so that an element added by a later schema keeps its text instead of failing or vanishing.
 */
export function renderBlock(el: XmlElement): string[] {
  if (SILENT.has(el.name) || el.name === 'Titre') return [];
  switch (el.name) {
    case 'Paragraphe':
      return nonEmpty(inlineText(el));
    case 'Liste':
      return nonEmpty(renderList(listItems(el), attr(el, 'type') === 'numero').join('\n'));
    case 'Tableau':
      return renderTableBlock(el);
    case 'ANoter':
    case 'ASavoir':
    case 'Attention':
    case 'Rappel':
    case 'Avertissement':
      return nonEmpty(renderCallout(titleOf(el) || (CALLOUT_LABELS[el.name] ?? ''), renderChildren(el)));
    case 'ServiceEnLigne': {
      const label = ONLINE_SERVICE_LABELS[onlineServiceTypeFromLabel(attr(el, 'type'))];
      const title = titleOf(el);
      return title === '' ? [] : [`${label} : ${title}`];
    }
    case 'OuSAdresser': {
      const title = titleOf(el);
      return title === '' ? [] : [`Où s'adresser : ${title}`];
    }
    default:
      if (TRANSPARENT.has(el.name) || el.children.some((c) => isElement(c))) return renderChildren(el);
      return nonEmpty(inlineText(el));
  }
}

/** Renders all children of a container as blocks; loose text directly in the container becomes a paragraph. */
export function renderChildren(el: XmlElement): string[] {
  const blocks: string[] = [];
  for (const child of el.children) {
    if (typeof child === 'string') blocks.push(...nonEmpty(collapseSpaces(child)));
    else blocks.push(...renderBlock(child));
  }
  return blocks;
}

function nonEmpty(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : [t];
}

function listItems(list: XmlElement): ListItem[] {
  return childElements(list, 'Item').map((item) => {
    const parts: string[] = [];
    const nested: string[] = [];
    for (const child of item.children) {
      if (typeof child === 'string') parts.push(child);
      else if (child.name === 'Liste') nested.push(...renderList(listItems(child), attr(child, 'type') === 'numero'));
      else if (!SILENT.has(child.name)) {
        // Several paragraphs (or a callout) in one item stay on the item's line: a list item is one unit of meaning.
        parts.push(child.name === 'Paragraphe' ? inlineText(child) : renderBlock(child).join(' '));
      }
    }
    return { text: parts.join(' '), nested };
  });
}

function renderTableBlock(table: XmlElement): string[] {
  const rows: TableRow[] = childElements(table, 'Rangée').map((row) => ({
    header: attr(row, 'type') === 'header',
    cells: childElements(row, 'Cellule').map((cell) => ({
      text: cellText(cell),
      colspan: spanOf(attr(cell, 'fusionHorizontale')),
      rowspan: spanOf(attr(cell, 'fusionVerticale')),
    })),
  }));
  const lines = renderTable(rows);
  if (lines.length === 0) return [];
  const title = inlineText(childElement(table, 'Titre'), true);
  return title === '' ? [lines.join('\n')] : [`**${title}**`, lines.join('\n')];
}

/** A cell stays on one line: paragraphs joined by spaces, list items by « ; ». */
function cellText(cell: XmlElement): string {
  const parts: string[] = [];
  for (const child of cell.children) {
    if (typeof child === 'string') parts.push(child);
    else if (child.name === 'Liste') parts.push(childElements(child, 'Item').map((i) => inlineText(i)).join(' ; '));
    else if (!SILENT.has(child.name)) parts.push(inlineText(child));
  }
  return collapseSpaces(parts.join(' '));
}

function spanOf(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

/**
 * Plain multi-line text of a box such as `OuSAdresser/Texte` (phones, hours, addresses): one line per paragraph or
 * item, a chapter title followed by a colon on its own line.
 */
export function plainLines(el: XmlElement | undefined): string {
  if (el === undefined) return '';
  const lines: string[] = [];
  const walk = (node: XmlElement): void => {
    for (const child of node.children) {
      if (typeof child === 'string') {
        const t = collapseSpaces(child);
        if (t !== '') lines.push(t);
      } else if (child.name === 'Titre') {
        const t = inlineText(child, true);
        if (t !== '') lines.push(`${t} :`);
      } else if (child.name === 'Paragraphe' || child.name === 'Item') {
        const t = inlineText(child, true);
        if (t !== '') lines.push(t);
      } else if (!SILENT.has(child.name)) walk(child);
    }
  };
  walk(el);
  return lines.join('\n');
}

/**
 * A one-paragraph summary of a box (a service's `Introduction`, a resource's `Texte`): its lines joined as sentences,
 * cut at a word boundary with « … » past `maxChars` (default 300 characters).
 */
export function summaryText(el: XmlElement | undefined, maxChars = 300): string {
  const text = plainLines(el)
    .split('\n')
    .map((line) => (/[.!?:;,…]$/.test(line) ? line : `${line}.`))
    .join(' ')
    .replace(/^\.$/, '');
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** The Markdown text of a container, blocks joined by blank lines. */
export function containerMarkdown(el: XmlElement | undefined): string {
  return el === undefined ? '' : joinBlocks(renderChildren(el));
}
