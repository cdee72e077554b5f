/**
 * One file of a DILA feed → a fiche or a resource, or the reason it could not be read. A bad file must not stop an
 * import of thousands: the result carries the error so that the importer counts it, reports it and goes on.
 */
import type { Audience, Fiche, OnlineService } from '../fiche.js';
import { CorpusError } from '../corpusError.js';
import { publicationToFiche } from './dilaPublication.js';
import { resourceToOnlineService } from './dilaResource.js';
import { assertSupportedSchema } from './dilaVocabulary.js';
import { attr, parseXmlDocument } from './xmlTree.js';

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
  try {
    return { ok: true, item: parseOrThrow(name, xml, options) };
  } catch (error) {
    if (error instanceof CorpusError) return { ok: false, error };
    throw error;
  }
}

function parseOrThrow(name: string, xml: string, options: DilaEntryOptions): DilaItem {
  const roots = parseXmlDocument(xml, name);
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
