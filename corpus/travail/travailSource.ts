/**
 * The labour-law fiches of travail-emploi.gouv.fr, as published in the npm package `@socialgouv/fiches-travail-data`
 * (the embedded default corpus: Guichet answers on first run with no download), → `Fiche[]`.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CorpusError } from '../corpusError.js';
import type { Fiche, LegalReference, OnlineService } from '../fiche.js';
import { SectionAccumulator } from '../dila/markdownWriter.js';
import { collapseSpaces, isElement, type XmlElement } from '../dila/xmlTree.js';
import { appendHtmlSections, inlineText, parseHtmlFragment } from './travailHtml.js';

/** The npm package that carries the fiches. */
export const TRAVAIL_PACKAGE = '@socialgouv/fiches-travail-data';

const sectionSchema = z.object({
  anchor: z.string().optional(),
  title: z.string(),
  html: z.string(),
  description: z.string().optional(),
  text: z.string().optional(),
});

const ficheSchema = z.object({
  pubId: z.union([z.string(), z.number()]).transform(String),
  title: z.string().min(1),
  description: z.string().default(''),
  date: z.string().default(''),
  intro: z.string().default(''),
  url: z.string().min(1),
  sections: z.array(sectionSchema).default([]),
});

/** One entry of `fiches-travail.json`, as far as Guichet reads it. */
export type TravailEntry = z.infer<typeof ficheSchema>;

/** Sections that only link elsewhere: dropped from the text (their links feed `onlineServices` or `references`). */
const NAVIGATION = /^(à lire|lire en complément|articles associés|dernières actualités|services en ligne|modèles de documents|documents|qui contacter|textes de référence)/i;
const ONLINE_SERVICES = /^(services en ligne|modèles de documents)/i;
const REFERENCES = /^textes de référence/i;

/**
 * Reads the fiches from `file`, or by default from the installed package. Entries that do not have the expected shape
 * are reported in `failures` and skipped.
 *
 * @returns the fiches, where they came from (`@socialgouv/fiches-travail-data@4.1174.0` or the file path), failures.
 * @throws CorpusError `feed-not-found` when the file or package is missing, `xml-invalid` when it is not JSON.
 */
export async function readTravailFiches(file?: string): Promise<{ fiches: Fiche[]; origin: string; failures: CorpusError[] }> {
  const { path, origin } = file === undefined ? packageData() : { path: file, origin: file };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CorpusError(
      missing ? 'feed-not-found' : 'xml-invalid',
      missing ? `Les fiches travail-emploi sont introuvables (${path}).` : `Le fichier ${path} n'est pas un JSON lisible.`,
      { file: path, cause },
    );
  }
  if (!Array.isArray(raw)) {
    throw new CorpusError('xml-invalid', `Le fichier ${path} ne contient pas une liste de fiches.`, { file: path });
  }
  const fiches: Fiche[] = [];
  const failures: CorpusError[] = [];
  raw.forEach((entry: unknown, index) => {
    const parsed = ficheSchema.safeParse(entry);
    if (!parsed.success) {
      failures.push(new CorpusError('xml-invalid', `La fiche n° ${index + 1} de ${path} est incomplète.`, { file: path, cause: parsed.error }));
      return;
    }
    try {
      fiches.push(travailEntryToFiche(parsed.data));
    } catch (error) {
      if (!(error instanceof CorpusError)) throw error;
      failures.push(error);
    }
  });
  return { fiches, origin, failures };
}

function packageData(): { path: string; origin: string } {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${TRAVAIL_PACKAGE}/package.json`);
  } catch (cause) {
    throw new CorpusError('feed-not-found', `Le paquet ${TRAVAIL_PACKAGE} (fiches travail-emploi) n'est pas installé.`, { cause });
  }
  const version = (require(manifest) as { version?: string }).version ?? '';
  return { path: join(dirname(manifest), 'data', 'fiches-travail.json'), origin: `${TRAVAIL_PACKAGE}@${version}` };
}

/** `13/11/2025` → `2025-11-13`; an ISO date is kept; anything else gives ''. */
export function travailDate(date: string): string {
  const fr = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date.trim());
  if (fr !== null) return `${fr[3]}-${fr[2]}-${fr[1]}`;
  return /^\d{4}-\d{2}-\d{2}/.exec(date.trim())?.[0] ?? '';
}

/** Converts one entry. @throws CorpusError `xml-invalid` when its HTML is broken. */
export function travailEntryToFiche(entry: TravailEntry): Fiche {
  const file = `${TRAVAIL_PACKAGE} ${entry.pubId}`;
  const out = new SectionAccumulator();
  appendHtmlSections(parseHtmlFragment(entry.intro, file), [], out);
  const onlineServices: OnlineService[] = [];
  const references: LegalReference[] = [];
  for (const section of entry.sections) {
    const title = collapseSpaces(section.title);
    const fragment = parseHtmlFragment(section.html, file);
    if (ONLINE_SERVICES.test(title)) onlineServices.push(...linksOf(fragment, title));
    if (REFERENCES.test(title)) references.push(...referencesOf(fragment));
    if (!NAVIGATION.test(title)) appendHtmlSections(fragment, title === '' ? [] : [title], out);
  }
  const sections = out.build();
  return {
    id: `T:${entry.pubId}`,
    source: 'travail-emploi',
    audience: 'particuliers',
    kind: 'fiche-travail',
    title: collapseSpaces(entry.title),
    description: collapseSpaces(entry.description),
    date: travailDate(entry.date),
    url: entry.url,
    themes: [],
    breadcrumb: [],
    sections,
    relatedQuestions: [],
    onlineServices: dedupeById(onlineServices),
    contacts: [],
    references,
    searchable: sections.length > 0,
  };
}

function anchors(el: XmlElement, out: XmlElement[] = []): XmlElement[] {
  for (const child of el.children) {
    if (!isElement(child)) continue;
    if (child.name === 'a') out.push(child);
    else anchors(child, out);
  }
  return out;
}

/** Links of a « Services en ligne » / « Modèles de documents » section; the URL is the id (they have no other). */
function linksOf(fragment: XmlElement, sectionTitle: string): OnlineService[] {
  return anchors(fragment).flatMap((a): OnlineService[] => {
    const url = a.attrs.href?.trim() ?? '';
    const title = inlineText(a, true);
    if (!/^https?:\/\//.test(url) || title === '') return [];
    const type = /^modèles/i.test(sectionTitle)
      ? 'modele-de-document'
      : /simulat|\/outils\//i.test(url + title)
        ? 'simulateur'
        : 'teleservice';
    return [{ id: url, title, url, type, institution: new URL(url).hostname.replace(/^www\./, '') }];
  });
}

/** « Textes de référence »: one reference per list item (or paragraph), linked to its first link. */
function referencesOf(fragment: XmlElement): LegalReference[] {
  const items: XmlElement[] = [];
  const visit = (el: XmlElement): void => {
    for (const child of el.children) {
      if (!isElement(child)) continue;
      if (child.name === 'li' || child.name === 'p') items.push(child);
      else visit(child);
    }
  };
  visit(fragment);
  return items.flatMap((item): LegalReference[] => {
    const title = inlineText(item, true);
    if (title === '') return [];
    const href = anchors(item)[0]?.attrs.href?.trim();
    return [href !== undefined && /^https?:\/\//.test(href) ? { title, url: href } : { title }];
  });
}

function dedupeById(services: OnlineService[]): OnlineService[] {
  const seen = new Set<string>();
  return services.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}
