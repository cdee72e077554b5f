import * as lancedb from '@lancedb/lancedb';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusManifest } from './corpusManifest.js';
import {
  CHUNKS_TABLE,
  FICHE_MENTIONS_FILE,
  FICHE_TEXT_INDEX_FILE,
  FICHES_TABLE,
  PASSAGE_STORE_FILE,
  PASSAGE_TEXT_INDEX_FILE,
  chunksSchema,
  fichesSchema,
  type ChunkRow,
  type FicheRow,
} from './indexTables.js';
import type { Fiche } from '../fiche.js';
import { ficheFieldsOf } from '../search/ficheFields.js';
import { FicheMentions } from '../search/ficheMentions.js';
import { FicheTextIndex } from '../search/ficheTextIndex.js';
import { PassageTextIndex } from '../search/passageTextIndex.js';
import { buildVocabulary } from '../search/vocabulary.js';
import { PassageStore } from './passageStore.js';

const BATCH = 5_000;
/** Passages from which an approximate vector index (HNSW) is built. */
export const VECTOR_INDEX_MIN_ROWS = 4_096;

/**
 * Writes one complete generation into an empty folder: both tables and their B-trees, the in-memory full-text
 * indexes (fiche fields, mentions, passages), the passages' shown text, the spelling vocabulary and, last, the
 * manifest (whose presence marks the generation as complete).
 */
export async function writeGeneration(
  folder: string,
  fiches: readonly FicheRow[],
  chunks: readonly ChunkRow[],
  manifest: CorpusManifest,
  signal?: AbortSignal,
): Promise<void> {
  const db = await lancedb.connect(folder);
  try {
    await writeTable(db, FICHES_TABLE, fiches, fichesSchema(), signal);
    await writeTable(db, CHUNKS_TABLE, chunks, chunksSchema(manifest.embedder?.dimension), signal);
    // B-trees to read a whole fiche by key and a result's passages by id or fiche. The full text, of the fiches and
    // of the passages, is held in memory by the search index (FicheTextIndex, PassageTextIndex, stored beside the
    // tables): LanceDB's full-text index is not built.
    const indexes: [string, string, lancedb.Index][] = [
      [FICHES_TABLE, 'key', lancedb.Index.btree()],
      [CHUNKS_TABLE, 'id', lancedb.Index.btree()],
      [CHUNKS_TABLE, 'fiche_key', lancedb.Index.btree()],
    ];
    // Brute-force vector search reads every vector (70 ms for the DILA feeds on 2 vCPUs); HNSW answers in ~2 ms.
    // Below a few thousand passages the scan is fast and the graph not worth building.
    if (manifest.embedder && chunks.length >= VECTOR_INDEX_MIN_ROWS) {
      indexes.push([CHUNKS_TABLE, 'vector', lancedb.Index.hnswSq({ distanceType: 'cosine' })]);
    }
    for (const [name, column, config] of indexes) {
      signal?.throwIfAborted();
      const table = await db.openTable(name);
      await table.createIndex(column, { config });
      table.close();
    }
  } finally {
    db.close();
  }
  signal?.throwIfAborted();
  const fields = ficheFieldsOf(fiches.map((row) => JSON.parse(row.fiche_json) as Fiche));
  await writeDurably(join(folder, FICHE_TEXT_INDEX_FILE), JSON.stringify(FicheTextIndex.fromFields(fields).toStored()));
  await writeDurably(join(folder, FICHE_MENTIONS_FILE), JSON.stringify(FicheMentions.fromFields(fields).toStored()));
  // In the chunks table's row order: a passage's number is its row offset (see SearchIndex.chunksById).
  const passages = PassageTextIndex.fromPassages(chunks.map((chunk) => ({ id: chunk.id, ficheKey: chunk.fiche_key, text: chunk.search_text })));
  await writeDurably(join(folder, PASSAGE_TEXT_INDEX_FILE), passages.toStored());
  const shown = chunks.map((chunk) => ({ id: chunk.id, ordinal: chunk.ordinal, sectionPath: chunk.section_path, text: chunk.text }));
  await writeDurably(join(folder, PASSAGE_STORE_FILE), PassageStore.toStored(shown));
  await writeDurably(join(folder, 'vocabulary.json'), JSON.stringify(buildVocabulary(chunks.map((c) => c.search_text))));
  await writeDurably(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

async function writeTable(
  db: lancedb.Connection,
  name: string,
  rows: readonly object[],
  schema: ReturnType<typeof fichesSchema>,
  signal?: AbortSignal,
): Promise<void> {
  const first = rows.slice(0, BATCH) as Record<string, unknown>[];
  const table = await db.createTable(name, first, { schema, mode: 'overwrite' });
  for (let start = BATCH; start < rows.length; start += BATCH) {
    signal?.throwIfAborted();
    await table.add(rows.slice(start, start + BATCH) as Record<string, unknown>[]);
  }
  table.close();
}

async function writeDurably(path: string, text: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
