/**
 * A small, typed view of an XML (or well-formed HTML) document, built on fast-xml-parser's `preserveOrder` output.
 * The feeds mix text and inline elements (`Paragraphe` with `LienInterne`, `MiseEnEvidence`…), so order matters and
 * the parser's default object output, which groups children by name, would lose it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CorpusError } from '../corpusError.js';

/** An element: its name (with any namespace prefix, e.g. `dc:title`), attributes and children in document order. */
export interface XmlElement {
  name: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlChild[];
}

/** A child of an element: an element or a run of text (entities already decoded). */
export type XmlChild = XmlElement | string;

/** Options of {@link parseXmlDocument}. */
export interface ParseXmlOptions {
  /**
   * Read HTML fragments (travail-emploi): void tags such as `<br>`, `<img>` need no closing tag, attributes may have
   * no value, and `script`/`style` contents are not parsed. Default `false` (strict XML, as DILA publishes).
   */
  html?: boolean;
}

/** Void elements of HTML: they never have a closing tag. */
const HTML_VOID_TAGS = ['br', 'hr', 'img', 'input', 'meta', 'link', 'source', 'wbr', 'col', 'area', 'base', 'embed', 'param', 'track'];

/** Options both parsers share: order kept, attributes unprefixed, text is prose (never a number), not trimmed here. */
const SHARED_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
} as const;

const xmlParser = new XMLParser({
  ...SHARED_OPTIONS,
  // Entities are decoded by `decodeXmlEntities` (the feeds use the five XML ones and a few `&#10;`, no DOCTYPE):
  // about twice as fast as the parser's generic decoder, as is not building path strings (`jPath: false`).
  processEntities: false,
  jPath: false,
});

const htmlParser = new XMLParser({
  ...SHARED_OPTIONS,
  htmlEntities: true,
  allowBooleanAttributes: true,
  unpairedTags: HTML_VOID_TAGS,
  stopNodes: ['*.script', '*.style'],
});

const XML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined XML entities and numeric character references; leaves unknown ones as they are. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return XML_ENTITIES[ref] ?? whole;
  });
}

/**
 * Checks that `xml` is well-formed and returns its top-level elements (the XML declaration and processing
 * instructions are left out).
 *
 * @param file Name used in the error message, e.g. `F1342.xml`.
 * @throws CorpusError `xml-invalid` when the markup is broken, naming the file, the line and the parser's reason.
 */
export function parseXmlDocument(xml: string, file: string, options: ParseXmlOptions = {}): XmlElement[] {
  const html = options.html === true;
  // The parser itself is lenient (it would silently build a tree from broken markup): validate first.
  const validation = html
    ? XMLValidator.validate(xml, { allowBooleanAttributes: true, unpairedTags: HTML_VOID_TAGS })
    : XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line } = validation.err;
    throw new CorpusError('xml-invalid', `Le fichier ${file} est illisible : XML mal formé (ligne ${line}).`, {
      file,
      cause: new Error(msg),
    });
  }
  let raw: unknown;
  try {
    raw = (html ? htmlParser : xmlParser).parse(xml);
  } catch (cause) {
    throw new CorpusError('xml-invalid', `Le fichier ${file} est illisible : XML mal formé.`, { file, cause });
  }
  // The HTML parser decodes entities itself (it needs the HTML ones such as `&nbsp;`).
  return toChildren(raw, !html).filter((child): child is XmlElement => typeof child !== 'string' && !child.name.startsWith('?'));
}

/** Converts fast-xml-parser's ordered output (`[{ tag: [...], ':@': {...} }, { '#text': '…' }]`) to our tree. */
function toChildren(raw: unknown, decode: boolean): XmlChild[] {
  if (!Array.isArray(raw)) return [];
  const out: XmlChild[] = [];
  for (const node of raw as Record<string, unknown>[]) {
    for (const key of Object.keys(node)) {
      if (key === ':@') continue;
      const value = node[key];
      if (key === '#text') {
        out.push(decode ? decodeXmlEntities(String(value)) : String(value));
      } else {
        out.push({ name: key, attrs: toAttrs(node[':@'], decode), children: toChildren(value, decode) });
      }
    }
  }
  return out;
}

function toAttrs(raw: unknown, decode: boolean): Record<string, string> {
  if (raw === null || typeof raw !== 'object') return {};
  const attrs: Record<string, string> = {};
  // A boolean HTML attribute comes back as `true`: keep it as present but empty.
  for (const [k, v] of Object.entries(raw)) attrs[k] = typeof v !== 'string' ? '' : decode ? decodeXmlEntities(v) : v;
  return attrs;
}

/** True when `child` is an element (named `name`, if given). */
export function isElement(child: XmlChild | undefined, name?: string): child is XmlElement {
  return child !== undefined && typeof child !== 'string' && (name === undefined || child.name === name);
}

/** The first child element named `name`. */
export function childElement(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  for (const child of el.children) if (isElement(child, name)) return child;
  return undefined;
}

/** All child elements named `name` (all child elements when `name` is omitted). */
export function childElements(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (el === undefined) return [];
  return el.children.filter((child): child is XmlElement => isElement(child, name));
}

/** All descendant elements named `name`, in document order, not looking inside a match. */
export function findAll(el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (child.name === name) out.push(child);
    else findAll(child, name, out);
  }
  return out;
}

/** An attribute's value, or `undefined` when absent or blank. */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  const value = el?.attrs[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** All the text below `el`, whitespace collapsed. Empty string for a missing element. */
export function plainText(el: XmlElement | undefined): string {
  if (el === undefined) return '';
  const parts: string[] = [];
  collectText(el, parts);
  return collapseSpaces(parts.join(''));
}

function collectText(el: XmlElement, parts: string[]): void {
  for (const child of el.children) {
    if (typeof child === 'string') parts.push(child);
    else {
      // Block boundaries must not glue words together (`<Paragraphe>a</Paragraphe><Paragraphe>b</Paragraphe>`).
      parts.push(' ');
      collectText(child, parts);
      parts.push(' ');
    }
  }
}

/**
 * Collapses runs of whitespace (JavaScript's `\s` includes the no-break spaces of `&nbsp;`) to one space, trims, and
 * removes the space the feeds leave before `.` `,` `)` after inline links (`dématérialisé\n\n. Si…`).
 */
export function collapseSpaces(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ');
  // Fast path: most runs of text have nothing to fix around punctuation.
  const fixed = / [.,)]|\( /.test(collapsed) ? collapsed.replace(/ ([.,)])/g, '$1').replace(/\( /g, '(') : collapsed;
  return fixed.trim();
}
