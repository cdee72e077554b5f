/** Importing a shared reply library: checking the file, then merging it into the current entries. */
import { ReplyError } from './replyError.js';
import { libraryFileSchema, toEntry, type ReplyEntry } from './replyEntry.js';

/** How an import went. */
export interface ReplyImportReport {
  added: number;
  /** Same id, newer `updatedAt` in the file: replaced. */
  updated: number;
  /** Same id, not newer: the library's version kept. */
  unchanged: number;
  /** Entries the import removed (`replace` mode only). */
  removed: number;
  /** Entries in the library afterwards. */
  total: number;
}

/**
 * The entries of an exported library (or of a bare JSON array of entries, what a hand-made file most often is).
 * @throws ReplyError `reply-import-invalid` with a French message; the zod issues or the JSON error as the cause.
 */
export function parseReplyImport(json: string): ReplyEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json) as unknown;
  } catch (cause) {
    throw new ReplyError('reply-import-invalid', "Le fichier importé n'est pas du JSON valide : la bibliothèque n'a pas été modifiée.", { cause });
  }
  const parsed = libraryFileSchema.safeParse(Array.isArray(raw) ? { version: 1, entries: raw } : raw);
  if (!parsed.success) {
    throw new ReplyError(
      'reply-import-invalid',
      `Le fichier importé n'est pas une bibliothèque de réponses Guichet (${where(parsed.error.issues)}) : la bibliothèque n'a pas été modifiée.`,
      { cause: parsed.error },
    );
  }
  return parsed.data.entries.map(toEntry);
}

/** Where the first problem is, in words the agent can look for in the file: « entrée 3, champ reply ». */
function where(issues: readonly { path: readonly PropertyKey[] }[]): string {
  const path = issues[0]?.path ?? [];
  if (path[0] !== 'entries' || typeof path[1] !== 'number') return path.length ? `champ ${path.join('.')}` : 'format inattendu';
  const field = path.slice(2).join('.');
  return `entrée ${path[1] + 1}${field ? `, champ ${field}` : ''}`;
}

/**
 * `merge`: new ids are added, an entry whose imported `updatedAt` is newer replaces the library's (keeping the larger
 * use count), others are kept. `replace`: the library becomes exactly the imported entries.
 */
export function mergeReplies(
  current: readonly ReplyEntry[],
  incoming: readonly ReplyEntry[],
  mode: 'merge' | 'replace',
): { entries: ReplyEntry[]; result: ReplyImportReport } {
  if (mode === 'replace') {
    const kept = new Set(incoming.map((e) => e.id));
    const report = { added: 0, updated: 0, unchanged: 0, removed: current.filter((e) => !kept.has(e.id)).length, total: incoming.length };
    for (const entry of incoming) {
      const old = current.find((e) => e.id === entry.id);
      if (!old) report.added += 1;
      else if (JSON.stringify(old) === JSON.stringify(entry)) report.unchanged += 1;
      else report.updated += 1;
    }
    return { entries: [...incoming], result: report };
  }
  const entries = [...current];
  const report = { added: 0, updated: 0, unchanged: 0, removed: 0, total: 0 };
  for (const entry of incoming) {
    const index = entries.findIndex((e) => e.id === entry.id);
    const old = index >= 0 ? entries[index] : undefined;
    if (!old) {
      entries.push(entry);
      report.added += 1;
    } else if (Date.parse(entry.updatedAt) > Date.parse(old.updatedAt)) {
      entries[index] = { ...entry, uses: Math.max(entry.uses, old.uses) };
      report.updated += 1;
    } else {
      report.unchanged += 1;
    }
  }
  report.total = entries.length;
  return { entries, result: report };
}
