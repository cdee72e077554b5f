import { z } from 'zod';
import type { Audience } from '../../corpus/fiche.js';
import type { SearchIndex } from '../../corpus/index/searchIndex.js';
import { ficheFieldsOf } from '../../corpus/search/ficheFields.js';
import { FICHE_PHRASINGS, type FichePhrasings } from '../../corpus/search/fichePhrasings.js';

export { FICHE_PHRASINGS };

/** Phrasings kept per fiche, and their length: a few ways of asking, not a second introduction. */
const MAX_PHRASINGS = 6;
const MAX_PHRASING_CHARS = 160;

const phrasingsFile = z.record(
  z.string().regex(/^(F\d+|T:[\w-]+)$/, 'identifiant de fiche attendu (F…, T:…)'),
  z.array(z.string().trim().min(3).max(MAX_PHRASING_CHARS)).min(1).max(MAX_PHRASINGS),
);

/** One file of phrasings (`{"F1234": ["…", …]}`), checked: French message naming the file and the entry at fault. */
export function parsePhrasings(json: unknown, file: string): Record<string, string[]> {
  const parsed = phrasingsFile.safeParse(json);
  if (parsed.success) return Object.fromEntries(Object.entries(parsed.data).map(([id, list]) => [id, list.map((text) => text.replace(/\s+/g, ' '))]));
  const issue = parsed.error.issues[0];
  throw new Error(`${file} : formulations invalides à « ${issue?.path.join('.') ?? ''} » (${issue?.message ?? 'format inconnu'}).`);
}

/**
 * The phrasings of several files merged: a later file written again for some fiches replaces their phrasings. With
 * `kept`, only the fiches it accepts stay (the fiches still in the corpus).
 */
export function mergePhrasings(files: readonly FichePhrasings[], kept: (id: string) => boolean = () => true): Record<string, string[]> {
  const merged: Record<string, string[]> = {};
  for (const file of files) for (const [id, list] of Object.entries(file)) if (kept(id)) merged[id] = [...list];
  return merged;
}

/** The source of corpus/search/fichePhrasings.ts: one fiche per line, DILA's by number then the labour code's, to diff. */
export function phrasingsModule(phrasings: FichePhrasings, provenance: string): string {
  const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const number = (id: string) => (/^F\d+$/.test(id) ? Number(id.slice(1)) : Number.MAX_SAFE_INTEGER);
  const entries = Object.keys(phrasings)
    .sort((a, b) => number(a) - number(b) || a.localeCompare(b))
    .map((id) => `  ${/^F\d+$/.test(id) ? id : quoted(id)}: [${(phrasings[id] ?? []).map(quoted).join(', ')}],`);
  return [
    '/** A fiche id → ways people ask for it, in their words. */',
    'export type FichePhrasings = Readonly<Record<string, readonly string[]>>;',
    '',
    '/**',
    ' * How citizens and counter agents ask for each fiche: four phrasings per fiche, in everyday words, written from its',
    ' * title, dossier, introduction and section titles only, by writers who saw no question set (document expansion,',
    ' * docs/recherche.md, « Formulations »). The fiche-level index reads them as a field. Written by',
    ` * \`npm run corpus:formulations -- --ecrire\`: do not edit by hand. ${provenance}`,
    ' */',
    'export const FICHE_PHRASINGS: FichePhrasings = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

/** What a writer of phrasings reads of a fiche (docs/eval/phrasing-brief.md): the fiche's own words about itself. */
export interface PhrasingInput {
  id: string;
  audiences: Audience[];
  title: string;
  trail: string;
  summary: string;
  headings: string;
}

const INPUT_SUMMARY_CHARS = 350;
const INPUT_HEADINGS = 8;

/**
 * The searchable fiches of the index that have no phrasings yet, as the writer's input (one entry per fiche id),
 * by audience then theme: a writer who sees a dossier's fiches together can tell them apart.
 */
export async function fichesWithoutPhrasings(index: SearchIndex, phrasings: FichePhrasings): Promise<PhrasingInput[]> {
  const audiences = new Map<string, Audience[]>();
  for (const summary of index.allSummaries()) {
    if (!summary.searchable || phrasings[summary.id] !== undefined) continue;
    audiences.set(summary.id, [...(audiences.get(summary.id) ?? []), summary.audience]);
  }
  const inputs: PhrasingInput[] = [];
  for (const [id, seen] of audiences) {
    const fiche = await index.getFiche(id, seen[0]);
    const fields = fiche ? ficheFieldsOf([fiche], {})[0] : undefined;
    if (!fields) continue;
    inputs.push({
      id,
      audiences: seen,
      title: fields.title,
      trail: fields.trail.split('\n').slice(0, 3).join(' > '),
      summary: fields.summary.replace(/\s+/g, ' ').slice(0, INPUT_SUMMARY_CHARS),
      headings: fields.headings.split('\n').slice(0, INPUT_HEADINGS).join(' | '),
    });
  }
  const feeds: readonly Audience[] = ['particuliers', 'professionnels', 'associations'];
  const feed = (input: PhrasingInput) => (input.audiences[0] ? feeds.indexOf(input.audiences[0]) : -1);
  return inputs.sort((a, b) => feed(a) - feed(b) || a.trail.localeCompare(b.trail, 'fr') || a.id.localeCompare(b.id));
}
