/** Small pieces of static HTML for the evaluation report: everything escaped, nothing executable. */

/** Text made safe for HTML content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;').replace(/'/gu, '&#39;');
}

/** A table cell: text escaped, or already-built HTML. */
export type Cell = string | { html: string; className?: string };

function cellHtml(cell: Cell, tag: 'td' | 'th'): string {
  if (typeof cell === 'string') return `<${tag}>${escapeHtml(cell)}</${tag}>`;
  return `<${tag}${cell.className ? ` class="${cell.className}"` : ''}>${cell.html}</${tag}>`;
}

/** A table with a caption and a header row; the first cell of each row heads it. */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Cell[])[], className = ''): string {
  const header = `<tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell, index) => cellHtml(cell, index === 0 ? 'th' : 'td')).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table class="${className}"><caption>${escapeHtml(caption)}</caption><thead>${header}</thead><tbody>${body}</tbody></table></div>`;
}

/** ✓ / ✗ / — marks, with words for screen readers and for printing in black and white. */
export function mark(value: boolean | null, yes = 'oui', no = 'non'): Cell {
  if (value === null) return { html: '<span class="muted">—</span>' };
  return value ? { html: `<span class="ok">✓ ${yes}</span>` } : { html: `<span class="ko">✗ ${no}</span>`, className: 'miss' };
}

/** The report's style sheet: system fonts, high contrast, printable; no external resource. */
export const REPORT_CSS = `
:root { color-scheme: light; --blue: #000091; --grey: #3a3a3a; --line: #dddddd; --bg: #f6f6f6; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Arial, Helvetica, sans-serif; color: #161616; background: #fff; line-height: 1.5; font-size: 15px; }
header { background: var(--blue); color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; opacity: .9; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 32px 48px; }
h2 { color: var(--blue); border-bottom: 2px solid var(--blue); padding-bottom: 4px; margin-top: 40px; font-size: 21px; }
h3 { font-size: 17px; margin: 24px 0 8px; }
.notice { background: #e8edff; border-left: 4px solid var(--blue); padding: 10px 16px; margin: 16px 0; }
.warning { background: #fff4e5; border-left: 4px solid #b34000; padding: 10px 16px; margin: 16px 0; }
.table-wrap { overflow-x: auto; margin: 12px 0 20px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: bold; padding: 6px 0; color: var(--grey); }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg); font-weight: bold; }
tbody th { font-weight: normal; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.miss { background: #fff5f5; }
.ok { color: #18753c; white-space: nowrap; }
.ko { color: #c9191e; white-space: nowrap; }
.muted { color: #666; }
.chart { margin: 16px 0 28px; }
.chart svg { max-width: 100%; height: auto; }
.chart p { margin: 4px 0; color: var(--grey); font-size: 14px; }
dl.metrics { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 14px; }
dl.metrics dt { font-weight: bold; }
dl.metrics dd { margin: 0; }
details summary { cursor: pointer; color: var(--blue); }
details pre { white-space: pre-wrap; background: var(--bg); padding: 8px; margin: 6px 0 0; font-family: inherit; font-size: 13px; max-width: 520px; }
table.questions td { min-width: 90px; }
footer { border-top: 1px solid var(--line); color: #666; font-size: 13px; padding: 16px 32px; }
@media print { header { background: none; color: #000; border-bottom: 3px solid #000; } details { display: block; } }
`;
