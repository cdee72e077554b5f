/**
 * Markdown from the model and from the fiches, made safe to show: parsed by `marked`, cleaned by DOMPurify, then
 * given the DSFR's classes and the citation chips by our own DOM code (which only ever adds elements it built).
 * No raw HTML from the source survives as HTML, images are dropped, links keep only http(s) and mailto.
 */
import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';
import { Marked } from 'marked';

export interface RenderOptions {
  /** Turns `[n]` marks into chips; gives each number's fiche title (for its label), or undefined if unknown. */
  citationTitle?: (n: number) => string | undefined;
  /** Headings of the source start at this level (default 3: under the screen's h1 and the block's h2). */
  headingBase?: number;
}

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'b', 'i', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'del', 'sup', 'sub'];
const SAFE_LINK = /^(https?:|mailto:)/i;
const CITATION = /\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]/g;
const NOTE = /^(À noter|A noter|À savoir|Attention|Important)\b/i;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function makeMarked(headingBase: number): Marked {
  return new Marked({
    gfm: true,
    async: false,
    renderer: {
      // Raw HTML in the Markdown is shown as the text it is, never parsed.
      html: ({ text }) => escapeHtml(text),
      image: () => '',
      heading({ tokens, depth }) {
        const level = Math.min(6, headingBase + depth - 1);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
}

let purifier: Purifier | undefined;
function purify(): Purifier {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_LINK.test(href.trim())) {
      node.removeAttribute('href');
      return;
    }
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
    node.setAttribute('title', `${node.textContent ?? href} - nouvelle fenêtre`);
  });
  return purifier;
}

const markedByBase = new Map<number, Marked>();

/** Safe HTML for a Markdown text. */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): string {
  const base = options.headingBase ?? 3;
  let marked = markedByBase.get(base);
  if (!marked) markedByBase.set(base, (marked = makeMarked(base)));
  const html = marked.parse(markdown) as string;
  const fragment = purify().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'colspan', 'rowspan', 'scope'],
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  decorate(fragment, options);
  const holder = document.createElement('div');
  holder.append(fragment);
  return holder.innerHTML;
}

function decorate(root: DocumentFragment, options: RenderOptions): void {
  for (const table of root.querySelectorAll('table')) {
    const wrapper = document.createElement('div');
    wrapper.className = 'fr-table fr-table--no-caption guichet-table';
    table.replaceWith(wrapper);
    const scroll = document.createElement('div');
    scroll.className = 'fr-table__content';
    wrapper.append(scroll);
    scroll.append(table);
  }
  for (const quote of root.querySelectorAll('blockquote')) {
    if (NOTE.test((quote.textContent ?? '').trim())) quote.className = 'fr-highlight guichet-note';
  }
  if (options.citationTitle) addCitationChips(root, options.citationTitle);
}

function addCitationChips(root: DocumentFragment, title: (n: number) => string | undefined): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!(node as Text).parentElement?.closest('code, pre, a')) texts.push(node as Text);
  }
  for (const text of texts) {
    const value = text.data;
    if (!CITATION.test(value)) continue;
    CITATION.lastIndex = 0;
    const parts = document.createDocumentFragment();
    let last = 0;
    for (const match of value.matchAll(CITATION)) {
      parts.append(value.slice(last, match.index).replace(/\s+$/, ''));
      for (const n of (match[1] ?? '').split(/[,;]/).map((s) => Number(s.trim()))) parts.append(chip(n, title(n)));
      last = (match.index ?? 0) + match[0].length;
    }
    parts.append(value.slice(last));
    text.replaceWith(parts);
  }
}

function chip(n: number, title: string | undefined): HTMLElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'guichet-cite';
  button.dataset['cite'] = String(n);
  button.textContent = `[${n}]`;
  button.setAttribute('aria-label', title ? `Source ${n} : ${title}` : `Source ${n}`);
  return button;
}
