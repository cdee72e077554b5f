import type * as Arrow from 'apache-arrow';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { ficheKey, type Audience, type Chunk, type CorpusSource, type Fiche, type FicheKind } from '../fiche.js';

/** Row of the `fiches` table: what filters and lists need, plus the whole fiche as JSON for the reader. */
export interface FicheRow {
  /** `audience:id`: some DILA fiches are published in two audiences, with their own breadcrumb and URL. */
  key: string;
  id: string;
  source: CorpusSource;
  audience: Audience;
  kind: FicheKind;
  title: string;
  description: string;
  date: string;
  url: string;
  searchable: boolean;
  /** Content hash: a re-import keeps the chunks (and vectors) of fiches whose hash did not change. */
  hash: string;
  /** Title, breadcrumb and description, for the fiche-level full-text index. */
  search_text: string;
  fiche_json: string;
}

/** Row of the `chunks` table: one passage, its fiche's facets for filtering, and its vector when embedded. */
export interface ChunkRow {
  /** `audience:ficheId#ordinal`. */
  id: string;
  fiche_id: string;
  fiche_key: string;
  ordinal: number;
  source: CorpusSource;
  audience: Audience;
  kind: FicheKind;
  title: string;
  /** JSON array of section titles. */
  section_path: string;
  text: string;
  /** Fiche title, its dossier's title, section titles and passage: what the chunk-level full-text index sees. */
  search_text: string;
  date: string;
  token_estimate: number;
  vector?: number[];
}

// The instance @lancedb/lancedb itself requires: apache-arrow ships a CommonJS and an ES build, and an `import` here
// would load the ES one too (a second graph of ~140 modules, about 0,3 s of CPU at every engine start).
const { Bool, Field, FixedSizeList, Float32, Int32, Schema, Utf8 } = createRequire(import.meta.url)('apache-arrow') as typeof Arrow;

export const FICHES_TABLE = 'fiches';
export const CHUNKS_TABLE = 'chunks';
/** The fiche-level full-text index, stemmed at import (see FicheTextIndex), beside the tables. */
export const FICHE_TEXT_INDEX_FILE = 'fiche-text-index.json';
/** Which fiches mention which words (see FicheMentions), beside the tables. */
export const FICHE_MENTIONS_FILE = 'fiche-mentions.json';
/** The passages' full-text index (see PassageTextIndex), binary, beside the tables. */
export const PASSAGE_TEXT_INDEX_FILE = 'passage-text-index.bin';
/** The passages' shown text (section path and text) at known offsets (see PassageStore), beside the tables. */
export const PASSAGE_STORE_FILE = 'passages.bin';

export function fichesSchema(): Arrow.Schema {
  return new Schema([
    new Field('key', new Utf8(), false),
    new Field('id', new Utf8(), false),
    new Field('source', new Utf8(), false),
    new Field('audience', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('description', new Utf8(), false),
    new Field('date', new Utf8(), false),
    new Field('url', new Utf8(), false),
    new Field('searchable', new Bool(), false),
    new Field('hash', new Utf8(), false),
    new Field('search_text', new Utf8(), false),
    new Field('fiche_json', new Utf8(), false),
  ]);
}

/** `dimension` given: the chunks carry a vector column of that size (hybrid search). */
export function chunksSchema(dimension?: number): Arrow.Schema {
  const fields: Arrow.Field[] = [
    new Field('id', new Utf8(), false),
    new Field('fiche_id', new Utf8(), false),
    new Field('fiche_key', new Utf8(), false),
    new Field('ordinal', new Int32(), false),
    new Field('source', new Utf8(), false),
    new Field('audience', new Utf8(), false),
    new Field('kind', new Utf8(), false),
    new Field('title', new Utf8(), false),
    new Field('section_path', new Utf8(), false),
    new Field('text', new Utf8(), false),
    new Field('search_text', new Utf8(), false),
    new Field('date', new Utf8(), false),
    new Field('token_estimate', new Int32(), false),
  ];
  if (dimension !== undefined) {
    fields.push(new Field('vector', new FixedSizeList(dimension, new Field('item', new Float32(), true)), true));
  }
  return new Schema(fields);
}

export function ficheHash(fiche: Fiche): string {
  return createHash('sha256').update(JSON.stringify(fiche)).digest('hex').slice(0, 32);
}

export function ficheRow(fiche: Fiche): FicheRow {
  const trail = fiche.breadcrumb.slice(1, -1).map((level) => level.title);
  return {
    key: ficheKey(fiche),
    id: fiche.id,
    source: fiche.source,
    audience: fiche.audience,
    kind: fiche.kind,
    title: fiche.title,
    description: fiche.description,
    date: fiche.date,
    url: fiche.url,
    searchable: fiche.searchable,
    hash: ficheHash(fiche),
    search_text: [fiche.title, fiche.title, trail.join(' '), fiche.description].join('\n'),
    fiche_json: JSON.stringify(fiche),
  };
}

export function chunkRow(fiche: Fiche, chunk: Chunk): ChunkRow {
  return {
    id: `${fiche.audience}:${chunk.id}`,
    fiche_id: fiche.id,
    fiche_key: ficheKey(fiche),
    ordinal: chunk.ordinal,
    source: fiche.source,
    audience: fiche.audience,
    kind: fiche.kind,
    title: fiche.title,
    section_path: JSON.stringify(chunk.sectionPath),
    text: chunk.text,
    search_text: [fiche.title, dossierTitle(fiche), chunk.sectionPath.join(' '), chunk.text].join('\n'),
    date: fiche.date,
    token_estimate: chunk.tokenEstimate,
  };
}

/** The dossier a fiche is listed in names its subject in general words (« Revenu de solidarité active (RSA) »). */
function dossierTitle(fiche: Fiche): string {
  return fiche.dossier && fiche.dossier.id !== fiche.id ? fiche.dossier.title : '';
}

/** Text given to the embedder for a chunk: the fiche title and section path situate the passage. */
export function passageForEmbedding(row: Pick<ChunkRow, 'title' | 'section_path' | 'text'>): string {
  const path = (JSON.parse(row.section_path) as string[]).join(' › ');
  return `${row.title}${path ? ` — ${path}` : ''}\n${row.text}`;
}
