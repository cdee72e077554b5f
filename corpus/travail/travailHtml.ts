/**
 * travail-emploi.gouv.fr HTML (DSFR markup) → Markdown sections with the same conventions as the DILA fiches:
 * paragraphs, `- ` lists, pipe tables, `> **À savoir** : …` for highlights. Headings (`h2`–`h6`) open sub-sections
 * below the section's own title. Navigation is dropped: cards to other pages, download sizes, video transcripts.
 */
import { bold, mergeBoldRuns, renderCallout, renderList, renderTable, SectionAccumulator, type ListItem, type TableRow } from '../dila/markdownWriter.js';
import { collapseSpaces, isElement, parseXmlDocument, type XmlElement } from '../dila/xmlTree.js';
import type { FicheSection } from '../fiche.js';

const BLOCK_TAGS = new Set([
  'p', 'div', 'section', 'article', 'aside', 'header', 'footer', 'nav', 'main', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'blockquote', 'figure', 'figcaption', 'pre', 'hr',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'details', 'summary', 'root',
]);

const SKIPPED_TAGS = new Set(['script', 'style', 'img', 'svg', 'iframe', 'video', 'audio', 'picture', 'source', 'noscript', 'form', 'input']);

/** DSFR classes of navigation and decoration: cards linking to other pages, tags, « (PDF - 339 Ko) ». */
const SKIPPED_CLASSES = /\b(fr-card|fr-tags-group|fr-tag|fr-link__detail)\b/;

/** Accordions holding the transcript of a video: a spoken rerun of the fiche that would compete with it. */
const TRANSCRIPT = /retranscription/i;

function classOf(el: XmlElement): string {
  return el.attrs.class ?? '';
}

function isSkipped(el: XmlElement): boolean {
  if (SKIPPED_TAGS.has(el.name) || SKIPPED_CLASSES.test(classOf(el))) return true;
  return el.name === 'section' && /\bfr-accordion\b/.test(classOf(el)) && TRANSCRIPT.test(inlineText(firstHeading(el)));
}

function headingLevel(name: string): number | undefined {
  const match = /^h([1-6])$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}

function firstHeading(el: XmlElement): XmlElement | undefined {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (headingLevel(child.name) !== undefined) return child;
    const inner = firstHeading(child);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Inline text, Markdown-formatted (`strong`/`b` → bold), whitespace collapsed; block children are space-separated. */
export function inlineText(el: XmlElement | undefined, plain = false): string {
  return el === undefined ? '' : mergeBoldRuns(collapseSpaces(renderInline(el, plain)));
}

function renderInline(el: XmlElement, noBold: boolean): string {
  let out = '';
  for (const child of el.children) {
    if (typeof child === 'string') out += child;
    else if (child.name === 'br') out += ' ';
    else if (!isSkipped(child)) {
      const strong = child.name === 'strong' || child.name === 'b';
      const inner = renderInline(child, noBold || strong);
      if (strong && !noBold) out += bold(inner);
      else out += BLOCK_TAGS.has(child.name) ? ` ${inner} ` : inner;
    }
  }
  return out;
}

/** Walks a fragment in section mode: headings open sub-sections, everything else becomes blocks. */
class SectionWalker {
  private readonly headings: { level: number; title: string }[] = [];

  constructor(
    private readonly out: SectionAccumulator,
    private readonly base: readonly string[],
  ) {}

  private path(): string[] {
    return [...this.base, ...this.headings.map((h) => h.title)];
  }

  walk(el: XmlElement): void {
    let inline: XmlElement = { name: 'p', attrs: {}, children: [] };
    const flush = (): void => {
      this.out.add(this.path(), nonEmpty(inlineText(inline)));
      inline = { name: 'p', attrs: {}, children: [] };
    };
    for (const child of el.children) {
      if (typeof child === 'string' || !BLOCK_TAGS.has(child.name)) {
        // Text and inline elements directly in a container form an anonymous paragraph, as a browser shows them.
        if (typeof child === 'string' || !isSkipped(child)) inline.children.push(child);
        continue;
      }
      flush();
      if (isSkipped(child)) continue;
      const level = headingLevel(child.name);
      if (level !== undefined) this.openHeading(level, inlineText(child, true));
      else if (child.name === 'div' || child.name === 'section' || child.name === 'article') {
        if (/\bfr-highlight\b/.test(classOf(child))) this.out.add(this.path(), nonEmpty(highlight(child)));
        else this.walk(child);
      } else this.out.add(this.path(), blocksOf(child));
    }
    flush();
  }

  private openHeading(level: number, title: string): void {
    const cleaned = title.replace(/\s*[:!]$/, '').trim();
    // The page repeats the section's title as its first heading: it adds no level.
    if (cleaned === '' || cleaned === this.base[this.base.length - 1]) return;
    while ((this.headings[this.headings.length - 1]?.level ?? 0) >= level) this.headings.pop();
    this.headings.push({ level, title: cleaned });
  }
}

/** Blocks of an element outside section mode (in a highlight, a list item, a quote): headings become bold lines. */
function blocksOf(el: XmlElement): string[] {
  if (isSkipped(el)) return [];
  const level = headingLevel(el.name);
  if (level !== undefined) return nonEmpty(inlineText(el, true)).map((t) => `**${t}**`);
  switch (el.name) {
    case 'p':
    case 'dt':
    case 'dd':
    case 'summary':
    case 'figcaption':
    case 'caption':
      return nonEmpty(inlineText(el));
    case 'ul':
    case 'ol':
      return nonEmpty(renderList(listItems(el), el.name === 'ol').join('\n'));
    case 'table':
      return nonEmpty(renderTable(tableRows(el)).join('\n'));
    case 'blockquote':
    case 'figure':
      return nonEmpty(renderCallout('', childBlocks(el)));
    case 'hr':
      return [];
    default:
      if (/\bfr-highlight\b/.test(classOf(el))) return nonEmpty(highlight(el));
      return childBlocks(el);
  }
}

function childBlocks(el: XmlElement): string[] {
  const blocks: string[] = [];
  let inline: XmlElement = { name: 'p', attrs: {}, children: [] };
  for (const child of el.children) {
    if (typeof child === 'string' || !BLOCK_TAGS.has(child.name)) {
      inline.children.push(child);
      continue;
    }
    blocks.push(...nonEmpty(inlineText(inline)), ...blocksOf(child));
    inline = { name: 'p', attrs: {}, children: [] };
  }
  blocks.push(...nonEmpty(inlineText(inline)));
  return blocks;
}

/** A DSFR highlight: its heading (« À savoir ! ») becomes the callout's label; without one it is a plain quote. */
function highlight(el: XmlElement): string {
  const heading = firstHeading(el);
  const label = inlineText(heading, true).replace(/\s*[:!]+$/, '').trim();
  const rest: XmlElement = { ...el, attrs: {}, children: el.children.filter((c) => c !== heading) };
  return renderCallout(label, childBlocks(rest));
}

function listItems(list: XmlElement): ListItem[] {
  return list.children.filter((c): c is XmlElement => isElement(c, 'li') && !isSkipped(c)).map((li) => {
    const inline: XmlElement = { name: 'span', attrs: {}, children: [] };
    const nested: string[] = [];
    for (const child of li.children) {
      if (isElement(child) && (child.name === 'ul' || child.name === 'ol')) {
        nested.push(...renderList(listItems(child), child.name === 'ol'));
      } else inline.children.push(child);
    }
    return { text: inlineText(inline), nested };
  });
}

function tableRows(table: XmlElement): TableRow[] {
  const rows: TableRow[] = [];
  const visit = (el: XmlElement, inHead: boolean): void => {
    for (const child of el.children) {
      if (!isElement(child) || isSkipped(child)) continue;
      if (child.name === 'tr') {
        const cells = child.children.filter((c): c is XmlElement => isElement(c) && (c.name === 'td' || c.name === 'th'));
        rows.push({
          header: inHead || (cells.length > 0 && cells.every((c) => c.name === 'th')),
          cells: cells.map((c) => ({ text: inlineText(c), colspan: span(c.attrs.colspan), rowspan: span(c.attrs.rowspan) })),
        });
      } else if (child.name !== 'caption') visit(child, inHead || child.name === 'thead');
    }
  };
  visit(table, false);
  return rows;
}

function span(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number.parseInt(value, 10);
}

function nonEmpty(text: string): string[] {
  return text.trim() === '' ? [] : [text.trim()];
}

/** Parses an HTML fragment (travail-emploi's `intro` or `section.html`). @throws CorpusError `xml-invalid`. */
export function parseHtmlFragment(html: string, file: string): XmlElement {
  return parseXmlDocument(`<root>${html}</root>`, file, { html: true })[0] ?? { name: 'root', attrs: {}, children: [] };
}

/**
 * Appends the sections of an HTML fragment to `out`, under `base` (the section's title; empty for the introduction).
 */
export function appendHtmlSections(fragment: XmlElement, base: readonly string[], out: SectionAccumulator): void {
  new SectionWalker(out, base).walk(fragment);
}

/** The sections of one HTML fragment on its own (for tests and single sections). */
export function htmlSections(html: string, base: readonly string[] = [], file = 'fragment.html'): FicheSection[] {
  const out = new SectionAccumulator();
  appendHtmlSections(parseHtmlFragment(html, file), base, out);
  return out.build();
}
