import type * as lancedb from '@lancedb/lancedb';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
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
 * before it was stored, or by a version that stored it in another form) it is rebuilt from them silently; damaged
 * (truncated, edited, a disk fault) it is rebuilt too, the cause logged, and the search goes on. A rebuilt index is
 * stored again, so that only the first open pays for it (2,7 s for the fiche indexes of `--from embarque`).
 */
export async function readMemoryIndexes(folder: string, fiches: lancedb.Table, chunks: lancedb.Table, log: (line: string) => void): Promise<MemoryIndexes> {
  const json = <T>(parse: (stored: unknown) => T | undefined) => (raw: Buffer) => parse(JSON.parse(raw.toString('utf8')));
  const paths = { texts: join(folder, FICHE_TEXT_INDEX_FILE), mentions: join(folder, FICHE_MENTIONS_FILE), passages: join(folder, PASSAGE_TEXT_INDEX_FILE) };
  const [storedTexts, storedMentions, storedPassages] = await Promise.all([
    readStored(paths.texts, json(FicheTextIndex.fromStored), 'index des fiches', log),
    readStored(paths.mentions, json(FicheMentions.fromStored), 'index des fiches', log),
    readStored(paths.passages, (raw) => PassageTextIndex.fromStored(raw), 'index des passages', log),
  ]);
  const fields = storedTexts && storedMentions ? undefined : await readFicheFields(fiches);
  const ficheTexts = storedTexts ?? FicheTextIndex.fromFields(fields ?? []);
  const mentions = storedMentions ?? FicheMentions.fromFields(fields ?? []);
  const passages = storedPassages ?? (await readPassageTexts(chunks));
  if (!storedTexts) await storeRebuilt(paths.texts, JSON.stringify(ficheTexts.toStored()), log);
  if (!storedMentions) await storeRebuilt(paths.mentions, JSON.stringify(mentions.toStored()), log);
  if (!storedPassages) await storeRebuilt(paths.passages, passages.toStored(), log);
  return { ficheTexts, mentions, passages };
}

/**
 * Stores a rebuilt index beside its final name, then renames it over: a reader sees the old file or the new, never half
 * of one. An index on a read-only disk (installed for every user of the PC) keeps being rebuilt at each open.
 */
async function storeRebuilt(path: string, data: string | Uint8Array, log: (line: string) => void): Promise<void> {
  const aside = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(aside, data);
    await rename(aside, path);
  } catch (error) {
    await rm(aside, { force: true }).catch(() => undefined);
    log(`[index] ${path} reconstruit mais non enregistré, il le sera de nouveau à la prochaine ouverture : ${error instanceof Error ? error.message : String(error)}`);
  }
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
