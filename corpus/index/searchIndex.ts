import * as lancedb from '@lancedb/lancedb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusError } from '../corpusError.js';
import type { Audience, CorpusSource, Fiche } from '../fiche.js';
import type { Vocabulary } from '../search/vocabulary.js';
import type { CorpusManifest } from './corpusManifest.js';
import { readManifest } from './generationReader.js';
import type { IndexLayout } from './indexLayout.js';
import { CHUNKS_TABLE, FICHES_TABLE, PASSAGE_STORE_FILE, type FicheRow } from './indexTables.js';
import { readMemoryIndexes } from './memoryIndexes.js';
import { PassageStore } from './passageStore.js';
import type { Concept, FicheMentions } from '../search/ficheMentions.js';
import type { FicheTextIndex } from '../search/ficheTextIndex.js';
import type { QueryWord } from '../search/queryAnalysis.js';
import type { PassageTextIndex } from '../search/passageTextIndex.js';

/** Restricts a search: audiences and sources to keep, fiche ids to leave out. */
export interface IndexFilter {
  audiences?: readonly Audience[];
  sources?: readonly CorpusSource[];
  excluded?: readonly string[];
}

/** A passage found by one retriever, with that retriever's score (BM25 or similarity: comparable only within it). */
export interface ChunkRef {
  id: string;
  /** `audience:id` of the fiche variant the passage belongs to. */
  ficheKey: string;
  score: number;
}

/** A passage with its text, read back for the hits that are shown. */
export interface StoredChunk extends ChunkRef {
  sectionPath: string[];
  text: string;
}

const SUMMARY_COLUMNS = ['key', 'id', 'source', 'audience', 'kind', 'title', 'description', 'date', 'url', 'searchable'] as const;

/** What lists and hits show of a fiche, kept in memory for every fiche of the index. */
export type FicheSummary = Pick<FicheRow, (typeof SUMMARY_COLUMNS)[number]>;

const REF_COLUMNS = ['id', 'fiche_key'];
const PASSAGE_COLUMNS = ['id', 'fiche_key', 'ordinal', 'section_path', 'text'];
const AUDIENCE_ORDER: readonly Audience[] = ['particuliers', 'professionnels', 'associations'];

/** Options of {@link SearchIndex.open}. */
export interface OpenOptions {
  /** Where a repaired fault goes (technical, for IT): a damaged fiche or passage index rebuilt from the tables. */
  log?: (line: string) => void;
}

/** The live index generation, opened read-only: full-text and vector retrieval, fiche lookup. */
export class SearchIndex {
  private constructor(
    readonly folder: string,
    readonly manifest: CorpusManifest,
    readonly vocabulary: Vocabulary,
    private readonly summaries: Map<string, FicheSummary>,
    private readonly ficheTexts: FicheTextIndex,
    private readonly mentions: FicheMentions,
    private readonly passages: PassageTextIndex,
    private readonly guides: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly store: PassageStore | undefined,
    private readonly db: lancedb.Connection,
    private readonly fiches: lancedb.Table,
    private readonly chunks: lancedb.Table,
  ) {}

  /** Opens the live generation; `index-missing` when nothing was imported yet. */
  static async open(layout: IndexLayout, options: OpenOptions = {}): Promise<SearchIndex> {
    const folder = await layout.currentGeneration();
    if (!folder) {
      throw new CorpusError('index-missing', "Aucune fiche n'est encore importée : lancez « guichet corpus import ».");
    }
    const manifest = await readManifest(folder);
    const vocabulary = JSON.parse(await readFile(join(folder, 'vocabulary.json'), 'utf8')) as Vocabulary;
    const db = await lancedb.connect(folder);
    const fiches = await db.openTable(FICHES_TABLE);
    const chunks = await db.openTable(CHUNKS_TABLE);
    const summaries = await readSummaries(fiches);
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const { ficheTexts, mentions, passages } = await readMemoryIndexes(folder, fiches, chunks, log);
    const guides = await readGuides(fiches);
    const store = await PassageStore.open(join(folder, PASSAGE_STORE_FILE), passages.size, log);
    return new SearchIndex(folder, manifest, vocabulary, summaries, ficheTexts, mentions, passages, guides, store, db, fiches, chunks);
  }

  get hasVectors(): boolean {
    return this.manifest.embedder !== undefined;
  }

  /** A fiche variant by key (`audience:id`). */
  summary(key: string): FicheSummary | undefined {
    return this.summaries.get(key);
  }

  /** The key of fiche `id` in `audience`, or in the first audience that has it (particuliers first). */
  keyOf(id: string, audience?: Audience): string | undefined {
    const order = audience ? [audience, ...AUDIENCE_ORDER] : AUDIENCE_ORDER;
    return order.map((a) => `${a}:${id}`).find((key) => this.summaries.has(key));
  }

  /**
   * The fiche's standing in the corpus, 0–1: how many fiches point to it, on a log scale against the most pointed-to.
   * The general fiche that narrower ones refer to (« RSA » for « RSA à l'étranger ») stands higher.
   */
  prior(key: string): number {
    const max = this.ficheTexts.maxInlinks;
    return max === 0 ? 0 : Math.log1p(this.ficheTexts.inlinks(key)) / Math.log1p(max);
  }

  /** For each fiche key, the share of the question's concepts its text mentions anywhere (see FicheMentions). */
  coverage(keys: readonly string[], concepts: readonly Concept[]): Map<string, number> {
    return this.mentions.coverage(keys, concepts);
  }

  /** The « comment faire si » guides (« Je me sépare »), each with the ids of the fiches it sends the reader to. */
  guideLinks(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.guides;
  }

  /** Every fiche variant (for navigation lists, evaluation and statistics). */
  allSummaries(): IterableIterator<FicheSummary> {
    return this.summaries.values();
  }

  /** BM25 over passages (fiche title + section titles + text), in memory (see PassageTextIndex). The words are OR-ed. */
  async fullTextChunks(words: readonly QueryWord[], limit: number, filter: IndexFilter = {}): Promise<ChunkRef[]> {
    return this.passages.search(words.map(wordOf), limit, this.accepts(filter), words.map(weightOf));
  }

  /** BM25 over fiche titles, breadcrumbs and descriptions; searchable fiches only (in memory, see FicheTextIndex). */
  async fullTextFiches(words: readonly QueryWord[], limit: number, filter: IndexFilter = {}): Promise<{ key: string; score: number }[]> {
    return this.ficheTexts.search(words.map(wordOf), limit, this.accepts(filter), words.map(weightOf));
  }

  /** The filter as a test on fiche keys, for the in-memory indexes (what `withFilter` asks LanceDB). */
  private accepts(filter: IndexFilter): (key: string) => boolean {
    return (key) => {
      const summary = this.summaries.get(key);
      if (!summary) return false;
      if (filter.audiences?.length && !filter.audiences.includes(summary.audience)) return false;
      if (filter.sources?.length && !filter.sources.includes(summary.source)) return false;
      return !filter.excluded?.includes(summary.id);
    };
  }

  /** Nearest passages by vector (cosine); empty when the index has no vectors. */
  async nearestChunks(vector: Float32Array, limit: number, filter: IndexFilter = {}): Promise<ChunkRef[]> {
    if (!this.hasVectors) return [];
    const query = this.chunks.vectorSearch(vector).distanceType('cosine').select(REF_COLUMNS);
    const rows = await withFilter(query, filter, 'fiche_id').limit(limit).toArray();
    return rows.map((row) => toChunkRef(row, 1 - Number(row._distance)));
  }

  /**
   * The passages with these ids (any order; score 0). Read when asked (a fraction of a millisecond from the passage
   * file) rather than all at open: holding every passage's text cost about a second at each engine start.
   */
  async chunksById(ids: readonly string[]): Promise<StoredChunk[]> {
    if (ids.length === 0) return [];
    const numbers = ids.map((id) => this.passages.numberOf(id));
    if (numbers.every((n) => n !== undefined)) {
      const stored = (await this.storedChunks(numbers))?.map(withoutOrdinal) ?? (await this.chunksAtRows(numbers, ids));
      if (stored) return stored;
    }
    const rows = await this.chunks.query().where(`id IN (${ids.map(quote).join(', ')})`).select(PASSAGE_COLUMNS).toArray();
    return rows.map(toStoredChunk);
  }

  /** Every passage of the given fiche variants (keys), in reading order (score 0). */
  async chunksOf(ficheKeys: readonly string[]): Promise<StoredChunk[]> {
    if (ficheKeys.length === 0) return [];
    const order = new Map(ficheKeys.map((key, position) => [key, position]));
    const byReading = (a: { ficheKey: string; ordinal: number }, b: { ficheKey: string; ordinal: number }) =>
      (order.get(a.ficheKey) ?? 0) - (order.get(b.ficheKey) ?? 0) || a.ordinal - b.ordinal;
    const stored = await this.storedChunks(ficheKeys.flatMap((key) => this.passages.numbersOf(key)));
    if (stored) return stored.sort(byReading).map(withoutOrdinal);
    const rows = await this.chunks.query().where(`fiche_key IN (${ficheKeys.map(quote).join(', ')})`).select(PASSAGE_COLUMNS).toArray();
    return rows.map((row) => ({ ...toStoredChunk(row), ordinal: Number(row.ordinal) })).sort(byReading).map(withoutOrdinal);
  }

  /**
   * Passages by number from the passage file, each checked against the passage index's id (the numbers are the
   * table's row offsets when the import wrote both; checked, never trusted); `undefined`: read the table instead.
   */
  private async storedChunks(numbers: number[]): Promise<(StoredChunk & { ordinal: number })[] | undefined> {
    const records = this.store && (await this.store.read(numbers));
    if (!records || records.length !== numbers.length) return undefined;
    const chunks = records.map((record, at) => {
      const passage = this.passages.passageAt(numbers[at] ?? -1);
      return passage?.id === record.id ? { ...passage, score: 0, sectionPath: record.sectionPath, text: record.text, ordinal: record.ordinal } : undefined;
    });
    return chunks.every((chunk) => chunk !== undefined) ? chunks : undefined;
  }

  /** The same from the table by row offset, for a generation written before the passage file (checked the same way). */
  private async chunksAtRows(numbers: number[], ids: readonly string[]): Promise<StoredChunk[] | undefined> {
    const rows = await this.chunks.takeOffsets(numbers).select(PASSAGE_COLUMNS).toArray();
    const wanted = new Set(ids);
    return rows.length === wanted.size && rows.every((row) => wanted.has(String(row.id))) ? rows.map(toStoredChunk) : undefined;
  }

  /** The whole fiche, for the offline reader; `undefined` when the index does not have it. */
  async getFiche(id: string, audience?: Audience): Promise<Fiche | undefined> {
    const key = this.keyOf(id, audience);
    if (!key) return undefined;
    const rows = await this.fiches.query().where(`key = ${quote(key)}`).select(['fiche_json']).limit(1).toArray();
    const json = rows[0]?.fiche_json;
    return typeof json === 'string' ? (JSON.parse(json) as Fiche) : undefined;
  }

  close(): void {
    this.fiches.close();
    this.chunks.close();
    this.db.close();
  }
}

type Filterable<Q> = { where(predicate: string): Q };

function withFilter<Q extends Filterable<Q>>(query: Q, filter: IndexFilter, idColumn: string, extra?: string): Q {
  const clauses: string[] = extra ? [extra] : [];
  if (filter.audiences?.length) clauses.push(`audience IN (${filter.audiences.map(quote).join(', ')})`);
  if (filter.sources?.length) clauses.push(`source IN (${filter.sources.map(quote).join(', ')})`);
  if (filter.excluded?.length) clauses.push(`${idColumn} NOT IN (${filter.excluded.map(quote).join(', ')})`);
  return clauses.length > 0 ? query.where(clauses.join(' AND ')) : query;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function withoutOrdinal({ ordinal: _ordinal, ...chunk }: StoredChunk & { ordinal: number }): StoredChunk {
  return chunk;
}

function toStoredChunk(row: Record<string, unknown>): StoredChunk {
  return { ...toChunkRef(row, 0), sectionPath: JSON.parse(String(row.section_path)) as string[], text: String(row.text) };
}

/** The guides are few (about 25): their links are read from the fiches at open. */
async function readGuides(fiches: lancedb.Table): Promise<Map<string, Set<string>>> {
  const rows = await fiches.query().where(`kind = 'comment-faire-si' AND searchable`).select(['key', 'fiche_json']).toArray();
  const guides = new Map<string, Set<string>>();
  for (const row of rows) {
    const fiche = JSON.parse(String(row.fiche_json)) as Fiche;
    guides.set(String(row.key), new Set([...(fiche.links ?? []).map((link) => link.id), ...fiche.relatedQuestions.map((q) => q.ficheId)]));
  }
  return guides;
}

/**
 * Every fiche's summary, read column by column: copying Arrow's row proxies one by one cost twice as much, at every
 * engine start.
 */
async function readSummaries(fiches: lancedb.Table): Promise<Map<string, FicheSummary>> {
  const table = await fiches.query().select([...SUMMARY_COLUMNS]).toArrow();
  const columns = SUMMARY_COLUMNS.map((name) => [name, table.getChild(name)?.toArray() ?? []] as const);
  const summaries = new Map<string, FicheSummary>();
  for (let row = 0; row < table.numRows; row++) {
    const summary = Object.fromEntries(columns.map(([name, values]) => [name, values[row]])) as FicheSummary;
    summaries.set(summary.key, summary);
  }
  return summaries;
}

function toChunkRef(row: Record<string, unknown>, score: number): ChunkRef {
  return { id: String(row.id), ficheKey: String(row.fiche_key), score };
}

const wordOf = (word: QueryWord): string => word.word;
const weightOf = (word: QueryWord): number => word.weight;
