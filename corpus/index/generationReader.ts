import * as lancedb from '@lancedb/lancedb';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusManifest } from './corpusManifest.js';
import { CHUNKS_TABLE, FICHES_TABLE, type ChunkRow, type FicheRow } from './indexTables.js';

/** Everything a generation holds, as plain rows: what an import needs to carry unchanged fiches over. */
export interface GenerationContent {
  manifest: CorpusManifest;
  fiches: FicheRow[];
  /** Chunks by fiche key (`audience:id`). */
  chunksByFiche: Map<string, ChunkRow[]>;
}

export async function readManifest(folder: string): Promise<CorpusManifest> {
  return JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as CorpusManifest;
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
