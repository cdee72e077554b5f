/**
 * The Markdown conventions shared by every source (DILA XML, travail-emploi HTML), so that the chunker and the
 * reader see one format: paragraphs separated by blank lines, `- ` / `1. ` lists (nested ones indented), pipe tables
 * with one header row, and callouts as `> **À noter** : …`.
 */
import type { FicheSection } from '../fiche.js';
import { collapseSpaces } from './xmlTree.js';

/** A cell of a table before layout; spans come from `fusionHorizontale`/`colspan` and `fusionVerticale`/`rowspan`. */
export interface TableCell {
  text: string;
  colspan?: number;
  rowspan?: number;
}

/** A row of a table; `header` rows are merged into the single Markdown header row. */
export interface TableRow {
  header: boolean;
  cells: TableCell[];
}

/** An item of a list: its own text, then any nested list already rendered (one string per line). */
export interface ListItem {
  text: string;
  nested: string[];
}

/** Wraps `text` in `**…**`, keeping the surrounding spaces outside (Markdown ignores `** x**`). */
export function bold(text: string): string {
  const inner = text.trim();
  if (inner === '') return text;
  const lead = /^\s/.test(text) ? ' ' : '';
  const trail = /\s$/.test(text) ? ' ' : '';
  return `${lead}**${inner}**${trail}`;
}

/**
 * Joins bold runs that touch (`**a** **b**` → `**a b**`, `**a****b**` → `**ab**`): the sources often split one
 * emphasis into several elements, and the leftover markers would be noise for the model and the reader.
 */
export function mergeBoldRuns(text: string): string {
  return text.includes('**') ? text.replace(/\*\*(\s*)\*\*/g, '$1') : text;
}

/** Renders a list as Markdown lines; nested lists are indented under their item. Empty items are dropped. */
export function renderList(items: ListItem[], ordered: boolean): string[] {
  const lines: string[] = [];
  let n = 0;
  for (const item of items) {
    const text = collapseSpaces(item.text);
    if (text === '' && item.nested.length === 0) continue;
    n += 1;
    const marker = ordered ? `${n}. ` : '- ';
    lines.push(`${marker}${text}`.trimEnd());
    const indent = ' '.repeat(marker.length);
    for (const line of item.nested) lines.push(indent + line);
  }
  return lines;
}

/**
 * Renders a table as a Markdown pipe table. Spanned cells are repeated in every row and column they cover, so a
 * row split off with the header by the chunker still reads right. Several header rows are merged per column
 * (« Taux – Assiette IR »); without any header row the first row serves as header.
 * Returns no lines for a table without text.
 */
export function renderTable(rows: TableRow[]): string[] {
  const grid = layoutGrid(rows);
  const width = Math.max(0, ...grid.map((r) => r.cells.length));
  if (width === 0 || grid.every((r) => r.cells.every((c) => c === ''))) return [];
  let headerCount = 0;
  while (headerCount < grid.length && grid[headerCount]?.header === true) headerCount += 1;
  if (headerCount === 0) headerCount = 1;
  const header: string[] = [];
  for (let col = 0; col < width; col += 1) {
    const parts: string[] = [];
    for (const row of grid.slice(0, headerCount)) {
      const text = row.cells[col] ?? '';
      if (text !== '' && parts[parts.length - 1] !== text) parts.push(text);
    }
    header.push(parts.join(' – '));
  }
  const line = (cells: string[]): string =>
    `| ${Array.from({ length: width }, (_, i) => escapeCell(cells[i] ?? '')).join(' | ')} |`;
  return [
    line(header),
    `|${' --- |'.repeat(width)}`,
    ...grid.slice(headerCount).filter((r) => r.cells.some((c) => c !== '')).map((r) => line(r.cells)),
  ];
}

function layoutGrid(rows: TableRow[]): { header: boolean; cells: string[] }[] {
  const grid: { header: boolean; cells: string[] }[] = [];
  // Cells still covering later rows, by column: how many rows remain and their text.
  const carried = new Map<number, { rows: number; text: string }>();
  for (const [r, row] of rows.entries()) {
    // Header rows left in the run starting here: the feeds put `fusionVerticale="2"` on a lone header row, which
    // must not spill into the first body row.
    let headerRun = 0;
    while (rows[r + headerRun]?.header === true) headerRun += 1;
    const cells: string[] = [];
    let col = 0;
    const place = (): void => {
      let pending = carried.get(col);
      while (pending !== undefined) {
        cells[col] = pending.text;
        if (pending.rows <= 1) carried.delete(col);
        else carried.set(col, { rows: pending.rows - 1, text: pending.text });
        col += 1;
        pending = carried.get(col);
      }
    };
    for (const cell of row.cells) {
      place();
      const span = clampSpan(cell.colspan);
      const down = row.header ? Math.min(clampSpan(cell.rowspan), headerRun) : clampSpan(cell.rowspan);
      const text = collapseSpaces(cell.text);
      for (let i = 0; i < span; i += 1) {
        cells[col] = text;
        if (down > 1) carried.set(col, { rows: down - 1, text });
        col += 1;
      }
    }
    place();
    grid.push({ header: row.header, cells: Array.from(cells, (c) => c ?? '') });
  }
  return grid;
}

/** Spans in the feeds are small integers; anything else is treated as 1 (a typo must not explode a table). */
function clampSpan(span: number | undefined): number {
  return span !== undefined && Number.isInteger(span) && span > 1 && span <= 50 ? span : 1;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/**
 * Renders a callout (« À noter », « Attention »…) as a blockquote whose first line starts with the bold label.
 * `blocks` are Markdown blocks (paragraphs, list or table lines joined by `\n`); blank blocks are dropped.
 */
export function renderCallout(label: string, blocks: string[]): string {
  const kept = blocks.map((b) => b.trim()).filter((b) => b !== '');
  const title = collapseSpaces(label);
  const head = title === '' ? '' : `**${title}**`;
  if (kept.length === 0) return head === '' ? '' : `> ${head}`;
  const lines: string[] = [];
  kept.forEach((block, i) => {
    const blockLines = block.split('\n');
    if (i > 0) lines.push('>');
    const first = blockLines[0] ?? '';
    const isPlainParagraph = blockLines.length === 1 && !/^([-|>]|\d+\. )/.test(first);
    if (i === 0 && head !== '' && isPlainParagraph) {
      lines.push(`> ${head} : ${first}`);
      return;
    }
    if (i === 0 && head !== '') lines.push(`> ${head} :`);
    for (const line of blockLines) lines.push(`> ${line}`);
  });
  return lines.join('\n');
}

/** Joins Markdown blocks with blank lines, dropping empty ones. */
export function joinBlocks(blocks: string[]): string {
  return blocks.map((b) => b.trim()).filter((b) => b !== '').join('\n\n');
}

/** Accumulates Markdown blocks per section path; consecutive blocks with the same path form one section. */
export class SectionAccumulator {
  private readonly sections: { path: string[]; blocks: string[] }[] = [];

  /** Appends blocks under `path` (nothing for an empty list). */
  add(path: readonly string[], blocks: readonly string[]): void {
    if (blocks.length === 0) return;
    const last = this.sections[this.sections.length - 1];
    if (last !== undefined && samePath(last.path, path)) last.blocks.push(...blocks);
    else this.sections.push({ path: [...path], blocks: [...blocks] });
  }

  /** The sections in order, empty ones left out. */
  build(): FicheSection[] {
    return this.sections.map((s) => ({ path: s.path, text: joinBlocks(s.blocks) })).filter((s) => s.text !== '');
  }
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
