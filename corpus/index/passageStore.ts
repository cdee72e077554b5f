import type { Table } from '@lancedb/lancedb';
import type { Table as ArrowTable } from 'apache-arrow';
import type { StoredChunk } from './searchIndex.js';

/**
 * Every passage's text, kept in memory as the Arrow columns LanceDB returns (about 25 MB for the three DILA feeds,
 * read in ~70 ms at open): showing the passages of a result then costs no query, which keeps a search within a few
 * milliseconds. Strings are decoded only for the passages asked for.
 */
export class PassageStore {
  private constructor(
    private readonly table: ArrowTable,
    private readonly rowById: Map<string, number>,
    private readonly rowsByFiche: Map<string, number[]>,
  ) {}

  static async load(chunks: Table): Promise<PassageStore> {
    const table = await chunks.query().select(['id', 'fiche_key', 'ordinal', 'section_path', 'text']).toArrow();
    const ids = table.getChild('id');
    const keys = table.getChild('fiche_key');
    const ordinals = table.getChild('ordinal');
    const rowById = new Map<string, number>();
    const rowsByFiche = new Map<string, number[]>();
    for (let row = 0; row < table.numRows; row++) {
      rowById.set(String(ids?.get(row)), row);
      const key = String(keys?.get(row));
      const rows = rowsByFiche.get(key) ?? [];
      rows.push(row);
      rowsByFiche.set(key, rows);
    }
    for (const rows of rowsByFiche.values()) rows.sort((a, b) => Number(ordinals?.get(a)) - Number(ordinals?.get(b)));
    return new PassageStore(table, rowById, rowsByFiche);
  }

  byIds(ids: readonly string[]): StoredChunk[] {
    return ids.map((id) => this.rowById.get(id)).filter((row): row is number => row !== undefined).map((row) => this.passage(row));
  }

  /** The passages of one fiche variant, in reading order. */
  ofFiche(key: string): StoredChunk[] {
    return (this.rowsByFiche.get(key) ?? []).map((row) => this.passage(row));
  }

  private passage(row: number): StoredChunk {
    return {
      id: String(this.table.getChild('id')?.get(row)),
      ficheKey: String(this.table.getChild('fiche_key')?.get(row)),
      score: 0,
      sectionPath: JSON.parse(String(this.table.getChild('section_path')?.get(row))) as string[],
      text: String(this.table.getChild('text')?.get(row)),
    };
  }
}
