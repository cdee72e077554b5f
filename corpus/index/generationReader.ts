import * as lancedb from '@lancedb/lancedb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CorpusError } from '../corpusError.js';
import type { CorpusManifest } from './corpusManifest.js';
import { CHUNKS_TABLE, FICHES_TABLE, type ChunkRow, type FicheRow } from './indexTables.js';

/** Everything a generation holds, as plain rows: what an import needs to carry unchanged fiches over. */
export interface GenerationContent {
  manifest: CorpusManifest;
  fiches: FicheRow[];
  /** Chunks by fiche key (`audience:id`). */
  chunksByFiche: Map<string, ChunkRow[]>;
}

/** The manifest format this version writes and reads. */
const MANIFEST_FORMAT = 1;

/** What search and import rely on; other fields pass through (older manifests lack some optional ones). */
const manifestShape = z.looseObject({
  formatVersion: z.number().int(),
  builtAt: z.string(),
  sources: z.array(z.looseObject({ source: z.string(), audiences: z.array(z.string()), fiches: z.number() })),
  newestFicheDate: z.string(),
  counts: z.looseObject({ fiches: z.number(), searchable: z.number(), chunks: z.number() }),
  embedder: z.object({ id: z.string(), dimension: z.number().int().positive() }).optional(),
});

/**
 * A generation's manifest, checked: a manifest this version cannot have written (damaged, or from a newer Guichet
 * whose index it might misread) is refused with a French message rather than read as if it were its own.
 */
export async function readManifest(folder: string): Promise<CorpusManifest> {
  const file = join(folder, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw damaged(file, error instanceof Error ? error.message : String(error));
  }
  const parsed = manifestShape.safeParse(raw);
  if (parsed.success && parsed.data.formatVersion > MANIFEST_FORMAT) {
    throw new CorpusError(
      'index-too-new',
      `L'index des fiches a été construit par une version plus récente de Guichet (format ${parsed.data.formatVersion}, celle-ci lit le format ${MANIFEST_FORMAT}) : mettez Guichet à jour, ou réimportez les fiches (guichet corpus import).`,
      { file },
    );
  }
  if (!parsed.success || parsed.data.formatVersion !== MANIFEST_FORMAT) throw damaged(file, parsed.success ? `format ${parsed.data.formatVersion}` : parsed.error.message);
  return raw as CorpusManifest;
}

/** A generation this version cannot read (damaged, or written by a newer Guichet): one to rebuild, not to use. */
export function isUnreadableIndex(error: unknown): error is CorpusError & { code: 'index-damaged' | 'index-too-new' } {
  return error instanceof CorpusError && (error.code === 'index-damaged' || error.code === 'index-too-new');
}

function damaged(file: string, cause: string): CorpusError {
  return new CorpusError('index-damaged', "L'index des fiches est abîmé (manifeste illisible) : réimportez les fiches (guichet corpus import).", { cause, file });
}

export async function readGeneration(folder: string): Promise<GenerationContent> {
  const manifest = await readManifest(folder);
  const db = await lancedb.connect(folder);
  try {
    const fiches = (await readRows(db, FICHES_TABLE)).map((row) => plainRow(row) as unknown as FicheRow);
    const chunksByFiche = new Map<string, ChunkRow[]>();
    for (const raw of await readRows(db, CHUNKS_TABLE)) {
      const row = plainRow(raw) as unknown as ChunkRow;
      const list = chunksByFiche.get(row.fiche_key) ?? [];
      list.push(row);
      chunksByFiche.set(row.fiche_key, list);
    }
    return { manifest, fiches, chunksByFiche };
  } finally {
    db.close();
  }
}

async function readRows(db: lancedb.Connection, name: string): Promise<Record<string, unknown>[]> {
  const table = await db.openTable(name);
  try {
    return (await table.query().toArray()) as Record<string, unknown>[];
  } finally {
    table.close();
  }
}

/** Arrow rows hold typed vectors and BigInts: copy to plain JSON-like values. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'vector') {
      if (value !== null && value !== undefined) plain[key] = Array.from(value as ArrayLike<number>);
    } else plain[key] = typeof value === 'bigint' ? Number(value) : value;
  }
  return plain;
}
