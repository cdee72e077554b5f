/**
 * Fiche → passages (`Chunk`) sized for a small model's context, following the fiche's structure. Cuts happen, by
 * preference, between sections, then between Markdown blocks, list items, table rows (the header is repeated) and
 * sentences; never inside a sentence unless one sentence alone passes the hard maximum. Deterministic.
 */
import type { Chunk, Fiche, FicheSection } from './fiche.js';

/**
 * Model tokens per whitespace-separated French word: the usual rule of thumb for Llama/Mistral-family tokenizers on
 * French prose (elisions, accents and numbers split words into about 1.3–1.5 tokens). Not measured against a real
 * tokenizer here; Markdown markers (`-`, `|`, `**x**`) count as words, which errs on the safe side.
 */
export const TOKENS_PER_WORD = 1.4;

/** Options of {@link chunkFiche}; sizes in estimated tokens (see {@link estimateTokens}). */
export interface ChunkOptions {
  /** A chunk stops growing when the next piece would pass this size. Default 350. */
  targetTokens?: number;
  /** No chunk is larger, save one sentence that alone is (it is then cut between words). Default 450. */
  maxTokens?: number;
  /** A passage smaller than this is merged with its next sibling section, or else its previous one. Default 40. */
  minTokens?: number;
}

/** Estimated model tokens of a text: whitespace-separated words × {@link TOKENS_PER_WORD}, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(countWords(text) * TOKENS_PER_WORD);
}

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

/** Words before a period that do not end a sentence (French legal and administrative usage), lower case. */
const ABBREVIATIONS = new Set([
  'm', 'mm', 'mme', 'mmes', 'mlle', 'mlles', 'me', 'mes', 'dr', 'pr', 'st', 'ste', 'art', 'arts', 'al', 'cf', 'ex',
  'env', 'no', 'nos', 'n°', 'p', 'pp', 'vol', 'chap', 'réf', 'av', 'bd', 'fig', 'tél', 'tel', 'janv', 'févr', 'fév',
  'avr', 'juil', 'sept', 'oct', 'nov', 'déc', 'cass', 'civ', 'crim', 'soc', 'com', 'ch', 'sect', 'min', 'max',
  'hab', 'coll', 'éd', 'suiv', 'ord', 'dir', 'adm', 'c', 'cod', 'inf', 'sup', 'approx', 'mr', 'mrs', 'vs', 'dépt',
]);

/** A sentence end: punctuation, closing quotes or brackets, spaces, then what starts a sentence (capital, digit, «). */
const BOUNDARY = /([.!?…]+)(["»”')\]]*)(\s+)(?=[«"“(]?\s?\**[A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ0-9])/g;

/**
 * Splits prose into sentences. A period after an abbreviation (« M. », « art. », « n° »…) or a single letter
 * (« L. 1251-6 », initials) is not an end; amounts such as « 1 500,50 € » contain no boundary.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + (match[1]?.length ?? 0) + (match[2]?.length ?? 0);
    if (match[1] === '.' && match[2] === '') {
      const word = /(\S+)$/.exec(text.slice(start, match.index))?.[1] ?? '';
      // « l'art. », « d'env. »: the elided article is not part of the abbreviation.
      const bare = word.replace(/^[«"“(\[]+/, '').replace(/^(?:qu|[a-z])['’]/i, '').toLowerCase();
      if (ABBREVIATIONS.has(bare) || /^\p{L}$/u.test(bare)) continue;
    }
    sentences.push(text.slice(start, end).trim());
    start = end + (match[3]?.length ?? 0);
  }
  sentences.push(text.slice(start).trim());
  return sentences.filter((s) => s !== '');
}

type BlockKind = 'para' | 'list' | 'table' | 'quote';

/** The smallest piece the packer moves: a whole block, or a part of a block too large to stay whole. */
interface Unit {
  text: string;
  tokens: number;
  section: number;
  block: number;
  /** How to join with the previous unit of the same block. */
  joiner: string;
  /** For a table row split off its table: the header and separator lines to repeat. */
  header?: string;
}

interface Limits {
  target: number;
  max: number;
  min: number;
  /** Below this a chunk may grow up to `max` to take the next piece (target window 250–350 by default). */
  low: number;
}

/**
 * Cuts a fiche into chunks. Each chunk keeps the path of its section; small sibling sections are merged under their
 * common parent, the titles below it written in bold at the head of each part. When the fiche has no introduction,
 * its description (its complete sentences) comes first. A fiche without sections gives no chunk; whether a fiche is
 * `searchable` is the caller's business.
 */
export function chunkFiche(fiche: Pick<Fiche, 'id' | 'description' | 'sections'>, options: ChunkOptions = {}): Chunk[] {
  const max = options.maxTokens ?? 450;
  const target = Math.min(options.targetTokens ?? 350, max);
  const limits: Limits = { target, max, min: options.minTokens ?? 40, low: Math.round(target * 0.7) };
  const sections = withDescription(fiche);
  if (sections.length === 0) return [];
  const units = sections.flatMap((s, i) => sectionUnits(s.text, i, limits));
  const groups = mergeTinyBackward(pack(units, sections, limits), sections, limits);
  return groups.map((group, ordinal) => {
    const { path, text } = assemble(group, sections);
    return { id: `${fiche.id}#${ordinal}`, ficheId: fiche.id, ordinal, sectionPath: path, text, tokenEstimate: estimateTokens(text) };
  });
}

function withDescription(fiche: Pick<Fiche, 'description' | 'sections'>): FicheSection[] {
  const sections = fiche.sections.filter((s) => s.text.trim() !== '');
  if (sections.length === 0 || sections[0]?.path.length === 0) return sections;
  // Descriptions are sometimes cut short by the feed (« …avec une photo, un justificatif »): whole sentences only.
  const sentences = splitSentences(fiche.description.trim());
  const last = sentences[sentences.length - 1];
  if (last !== undefined && !/[.!?…)»]$/.test(last)) sentences.pop();
  const description = sentences.join(' ');
  return description === '' ? sections : [{ path: [], text: description }, ...sections];
}

function blockKind(block: string): BlockKind {
  if (block.startsWith('|')) return 'table';
  if (block.startsWith('>')) return 'quote';
  return /^(- |\d+\. )/.test(block) ? 'list' : 'para';
}

/** Splits a section's Markdown into units: whole blocks when they fit `max`, else rows, items, lines or sentences. */
function sectionUnits(text: string, section: number, limits: Limits): Unit[] {
  const units: Unit[] = [];
  for (const [index, block] of text.split(/\n{2,}/).entries()) {
    const trimmed = block.trim();
    if (trimmed === '') continue;
    // Unique within the fiche: units of one block are joined by the block's own separator.
    const id = section * 1_000_000 + index;
    const unit = (t: string, joiner: string, header?: string): Unit => {
      const u: Unit = { text: t, tokens: estimateTokens(t), section, block: id, joiner };
      if (header !== undefined) u.header = header;
      return u;
    };
    const tokens = estimateTokens(trimmed);
    if (tokens <= limits.max) {
      units.push(unit(trimmed, '\n\n'));
      continue;
    }
    const kind = blockKind(trimmed);
    const lines = trimmed.split('\n');
    if (kind === 'table' && lines.length > 2) {
      const header = lines.slice(0, 2).join('\n');
      const room = limits.max - estimateTokens(header);
      for (const row of lines.slice(2)) {
        if (estimateTokens(row) <= room) units.push(unit(row, '\n', header));
        else units.push(...wordPieces(row, room).map((p) => unit(p, ' ')));
      }
    } else if (kind === 'list' || kind === 'quote') {
      // A list item is a line at column 0 with the indented lines of its nested list.
      const items = kind === 'list' ? groupListItems(lines) : lines;
      for (const item of items) {
        if (estimateTokens(item) <= limits.max) units.push(unit(item, '\n'));
        else units.push(...splitProse(item, limits.max, kind === 'quote' ? '> ' : '').map((p) => unit(p, kind === 'quote' ? '\n' : ' ')));
      }
    } else {
      units.push(...splitProse(trimmed, limits.max, '').map((p) => unit(p, ' ')));
    }
  }
  return units;
}

function groupListItems(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    if (items.length > 0 && !/^(- |\d+\. )/.test(line)) items[items.length - 1] += `\n${line}`;
    else items.push(line);
  }
  return items;
}

/** Sentences of `text` (a quote's `> ` prefix kept on each), a sentence above `max` cut between words. */
function splitProse(text: string, max: number, prefix: string): string[] {
  const body = prefix !== '' && text.startsWith(prefix.trim()) ? text.replace(/^>\s?/, '') : text;
  return splitSentences(body.replace(/\n/g, ' ')).flatMap((s) =>
    (estimateTokens(s) <= max ? [s] : wordPieces(s, max)).map((p) => prefix + p),
  );
}

function wordPieces(text: string, max: number): string[] {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const size = Math.max(1, Math.floor(max / TOKENS_PER_WORD));
  const pieces: string[] = [];
  for (let i = 0; i < words.length; i += size) pieces.push(words.slice(i, i + size).join(' '));
  return pieces;
}

function commonPrefix(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i += 1) out.push(a[i] as string);
  return out;
}

/** Two paths may share a chunk when they are siblings, parent and child, or aunt and niece. */
function compatible(a: readonly string[], b: readonly string[]): boolean {
  return commonPrefix(a, b).length >= Math.min(a.length, b.length) - 1;
}

function sectionCost(section: FicheSection): number {
  return estimateTokens(section.path.join(' ')) + 1;
}

/** Greedy packing in document order, within the limits and the section rules above. */
function pack(units: Unit[], sections: FicheSection[], limits: Limits): Unit[][] {
  const remaining = new Map<number, number>();
  for (const u of units) remaining.set(u.section, (remaining.get(u.section) ?? 0) + u.tokens);
  const groups: Unit[][] = [];
  let current: Unit[] = [];
  let size = 0;
  let prefix: string[] = [];
  for (const u of units) {
    const last = current[current.length - 1];
    const left = remaining.get(u.section) ?? 0;
    let take = false;
    if (last === undefined) take = true;
    else if (last.section === u.section) {
      const cost = u.tokens + (u.header !== undefined && last.block !== u.block ? estimateTokens(u.header) : 0);
      take = size + cost <= limits.target || size + left <= limits.max || (size < limits.low && size + cost <= limits.max);
    } else {
      const path = (sections[u.section] as FicheSection).path;
      const headings = sectionCost(sections[u.section] as FicheSection) + sectionCost(sections[last.section] as FicheSection);
      take =
        compatible(prefix, path) &&
        ((size < limits.min && size + headings + u.tokens <= limits.max) || size + headings + left <= limits.target);
      if (take) size += headings;
    }
    if (!take) {
      // A lead-in (« Pièces à fournir : », a bold pseudo-title, a table's title) goes with what it introduces.
      const carried = last !== undefined && current.length > 1 && isLeadIn(last.text) ? last : undefined;
      const carry =
        carried !== undefined &&
        compatible((sections[carried.section] as FicheSection).path, (sections[u.section] as FicheSection).path) &&
        carried.tokens + u.tokens + sectionCost(sections[u.section] as FicheSection) * 2 <= limits.max;
      if (carry) current.pop();
      groups.push(current);
      current = carry ? [carried] : [];
      size = carry ? carried.tokens + sectionCost(sections[u.section] as FicheSection) * 2 : 0;
      if (carry) prefix = [...(sections[carried.section] as FicheSection).path];
    }
    const opensRun = current.length === 0 || last?.block !== u.block;
    if (current.length === 0) prefix = [...(sections[u.section] as FicheSection).path];
    else prefix = commonPrefix(prefix, (sections[u.section] as FicheSection).path);
    current.push(u);
    // A table row that opens a run carries the repeated header.
    size += u.tokens + (u.header !== undefined && opensRun ? estimateTokens(u.header) : 0);
    remaining.set(u.section, left - u.tokens);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** A block that announces the next one rather than saying something: a bold-only line or a line ending with « : ». */
function isLeadIn(text: string): boolean {
  return /^\*\*[^*\n]+\*\*$/.test(text) || (/:$/.test(text) && !text.includes('\n'));
}

/** A tiny last piece that could not join a next sibling joins the previous chunk when it fits. */
function mergeTinyBackward(groups: Unit[][], sections: FicheSection[], limits: Limits): Unit[][] {
  const out: Unit[][] = [];
  for (const group of groups) {
    const previous = out[out.length - 1];
    if (previous !== undefined && estimateTokens(assemble(group, sections).text) < limits.min) {
      const merged = [...previous, ...group];
      const a = assemble(previous, sections).path;
      const b = assemble(group, sections).path;
      if (compatible(a, b) && estimateTokens(assemble(merged, sections).text) <= limits.max) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    out.push(group);
  }
  return out;
}

/** The text of a group: runs of units per section, headed by their titles below the common path when mixed. */
function assemble(group: Unit[], sections: FicheSection[]): { path: string[]; text: string } {
  const paths = [...new Set(group.map((u) => u.section))].map((i) => (sections[i] as FicheSection).path);
  const path = paths.reduce((p, q) => commonPrefix(p, q), paths[0] ?? []);
  let text = '';
  let previous: Unit | undefined;
  for (const u of group) {
    if (previous === undefined || previous.section !== u.section) {
      const heading = paths.length > 1 ? (sections[u.section] as FicheSection).path.slice(path.length).join(' › ') : '';
      if (text !== '') text += '\n\n';
      if (heading !== '') text += `**${heading}**\n\n`;
      text += u.header !== undefined ? `${u.header}\n${u.text}` : u.text;
    } else if (previous.block === u.block) {
      text += u.joiner + u.text;
    } else {
      text += `\n\n${u.header !== undefined ? `${u.header}\n` : ''}${u.text}`;
    }
    previous = u;
  }
  return { path: [...path], text };
}
