/** A draft as plain text for the clipboard: no Markdown, no `[n]` marks, the sources listed at the end. */
export interface PlainSource {
  title: string;
  url: string;
}

export function toPlainText(markdown: string, sources: readonly PlainSource[] = []): string {
  let text = markdown
    .replace(/\s*\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, '$1$2')
    .replace(/(^|[^*])\*([^*\n]+)\*/g, '$1$2')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^>\s?/gm, '')
    .replace(/^\s*[*+]\s+/gm, '- ')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (sources.length > 0) text += `\n\nSources :\n${sources.map((s) => `- ${s.title} : ${s.url}`).join('\n')}`;
  return text;
}
