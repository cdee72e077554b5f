import type { Fiche } from '../../../../../assistant/api.js';

/** A fiche's sections grouped by their first title: chapters (or situations) shown as accordions. */
export interface FicheChapter {
  title: string | null;
  parts: { path: string[]; text: string }[];
}

export function ficheChapters(fiche: Pick<Fiche, 'sections'>): FicheChapter[] {
  const chapters: FicheChapter[] = [];
  for (const section of fiche.sections) {
    const title = section.path[0] ?? null;
    let chapter = chapters.at(-1);
    if (!chapter || chapter.title !== title) chapters.push((chapter = { title, parts: [] }));
    chapter.parts.push({ path: section.path.slice(1), text: section.text });
  }
  return chapters;
}

/** The sections' Markdown with the deeper titles as headings (level 4 under the chapter's level 3). */
export function chapterMarkdown(chapter: FicheChapter): string {
  const lines: string[] = [];
  let previous: string[] = [];
  for (const part of chapter.parts) {
    const common = previous.findIndex((title, i) => part.path[i] !== title);
    const from = common === -1 ? Math.min(previous.length, part.path.length) : common;
    part.path.slice(from).forEach((title, offset) => lines.push(`${'#'.repeat(Math.min(4, from + offset + 1))} ${title}`, ''));
    if (part.text) lines.push(part.text, '');
    previous = part.path;
  }
  return lines.join('\n');
}

/**
 * The fiche's description as its lead paragraph, or `null` when its introduction already opens with the same words:
 * DILA often repeats the introduction's first paragraph as the description, and the reader would show it twice.
 */
export function ficheLead(description: string | undefined, chapters: readonly FicheChapter[]): string | null {
  if (!description) return null;
  // Letters and digits only: Markdown marks, spaces and punctuation may differ between the two copies.
  const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const intro = chapters.filter((c) => c.title === null).map((c) => words(chapterMarkdown(c))).join(' ');
  return intro.startsWith(words(description)) ? null : description;
}
