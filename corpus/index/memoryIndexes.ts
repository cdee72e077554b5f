import type * as lancedb from '@lancedb/lancedb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fiche } from '../fiche.js';
import { ficheFieldsOf, type FicheFields } from '../search/ficheFields.js';
import { FicheMentions } from '../search/ficheMentions.js';
import { FicheTextIndex } from '../search/ficheTextIndex.js';
import { PassageTextIndex } from '../search/passageTextIndex.js';
import { FICHE_MENTIONS_FILE, FICHE_TEXT_INDEX_FILE, PASSAGE_TEXT_INDEX_FILE } from './indexTables.js';

/** The full-text indexes a search index holds in memory, stored beside the tables at import. */
export interface MemoryIndexes {
  ficheTexts: FicheTextIndex;
  mentions: FicheMentions;
  passages: PassageTextIndex;
}

/**
 * Reads the in-memory indexes the import stored. Each is only a cache of the tables: missing (a generation written
 * before it was stored) it is rebuilt from them silently; damaged (truncated, edited, a disk fault) it is rebuilt
 * too, the cause logged, and the search goes on.
 */
export async function readMemoryIndexes(folder: string, fiches: lancedb.Table, chunks: lancedb.Table, log: (line: string) => void): Promise<MemoryIndexes> {
  const json = <T>(parse: (stored: unknown) => T | undefined) => (raw: Buffer) => parse(JSON.parse(raw.toString('utf8')));
  const [storedTexts, storedMentions, storedPassages] = await Promise.all([
    readStored(join(folder, FICHE_TEXT_INDEX_FILE), json(FicheTextIndex.fromStored), 'index des fiches', log),
    readStored(join(folder, FICHE_MENTIONS_FILE), json(FicheMentions.fromStored), 'index des fiches', log),
    readStored(join(folder, PASSAGE_TEXT_INDEX_FILE), (raw) => PassageTextIndex.fromStored(raw), 'index des passages', log),
  ]);
  const fields = storedTexts && storedMentions ? undefined : await readFicheFields(fiches);
  return {
    ficheTexts: storedTexts ?? FicheTextIndex.fromFields(fields ?? []),
    mentions: storedMentions ?? FicheMentions.fromFields(fields ?? []),
    passages: storedPassages ?? (await readPassageTexts(chunks)),
  };
}

async function readStored<T>(path: string, parse: (raw: Buffer) => T | undefined, what: string, log: (line: string) => void): Promise<T | undefined> {
  const raw = await readFile(path).catch(() => undefined);
  if (raw === undefined) return undefined;
  try {
    const index = parse(raw);
    if (!index) log(`[index] ${path} : format inconnu, ${what} reconstruit depuis les tables`);
    return index;
  } catch (error) {
    log(`[index] ${path} illisible, ${what} reconstruit depuis les tables : ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** For a generation written before the fiche-level indexes were stored: their fields, from the fiches (slower to open). */
async function readFicheFields(fiches: lancedb.Table): Promise<FicheFields[]> {
  const rows = (await fiches.query().select(['fiche_json']).toArray()) as { fiche_json: string }[];
  return ficheFieldsOf(rows.map((row) => JSON.parse(String(row.fiche_json)) as Fiche));
}

/**
 * The passage index, built from the chunks table in its row order (as the import builds it): about a second for the
 * DILA feeds, once, for a generation written before the index was stored or whose file is damaged.
 */
async function readPassageTexts(chunks: lancedb.Table): Promise<PassageTextIndex> {
  const table = await chunks.query().select(['id', 'fiche_key', 'search_text']).toArrow();
  const [ids, keys, texts] = ['id', 'fiche_key', 'search_text'].map((name) => table.getChild(name)?.toArray() ?? []);
  return PassageTextIndex.fromPassages(
    Array.from({ length: table.numRows }, (_, row) => ({ id: String(ids?.[row]), ficheKey: String(keys?.[row]), text: String(texts?.[row]) })),
  );
}
