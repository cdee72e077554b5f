import type { Conversation, MessageSource, StoredMessage } from './conversationTypes.js';

/** How an export is rendered. */
export interface ExportOptions {
  /** Masks personal data again at export time, in case the masker learnt new patterns since the text was stored. */
  redact: (text: string) => string;
  /** Export time, printed in the Markdown header. */
  exportedAt: Date;
  /** IANA time zone of the printed dates; default: the PC's. */
  timeZone?: string;
}

/** The mention every AI-drafted answer carries, in exports as on screen. */
export const AI_DRAFT_NOTICE = "Brouillon rédigé avec l'aide d'un outil d'IA";
const DILA_ATTRIBUTION = 'service-public.fr (DILA)';

/** The conversation as a Markdown document in French, for an e-mail, a ticket or a file. */
export function conversationToMarkdown(conversation: Conversation, options: ExportOptions): string {
  const when = dateFormatter(options.timeZone);
  const lines: string[] = [
    `# ${escapeMarkdown(options.redact(conversation.title))}`,
    '',
    `Conversation du ${when(conversation.createdAt)}, exportée le ${when(options.exportedAt.toISOString())}.`,
    '',
  ];
  const allSources: MessageSource[] = [];
  for (const message of conversation.messages) {
    lines.push(...messageToMarkdown(message, options, when));
    allSources.push(...(message.sources ?? []));
  }
  if (allSources.length > 0) lines.push('---', '', `Source : ${attribution(allSources)}`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The conversation as JSON (`format: 'guichet-conversation'`, `version: 1`), texts masked again. */
export function conversationToJson(conversation: Conversation, options: ExportOptions): string {
  const sources = conversation.messages.flatMap((message) => message.sources ?? []);
  const data = {
    format: 'guichet-conversation',
    version: 1,
    exportedAt: options.exportedAt.toISOString(),
    notice: `${AI_DRAFT_NOTICE} : les réponses de l'assistant sont des brouillons à vérifier.`,
    ...(sources.length > 0 ? { attribution: `Source : ${attribution(sources)}` } : {}),
    conversation: {
      id: conversation.id,
      title: options.redact(conversation.title),
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
    },
    messages: conversation.messages.map((message) => ({ ...message, text: options.redact(message.text) })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}

function messageToMarkdown(message: StoredMessage, options: ExportOptions, when: (iso: string) => string): string[] {
  const heading = message.role === 'agent' ? "Question de l'agent" : 'Brouillon de réponse';
  const lines = [`## ${heading} (${when(message.createdAt)})`, '', escapeMarkdown(options.redact(message.text)), ''];
  if (message.role !== 'assistant') return lines;
  lines.push(`> ${AI_DRAFT_NOTICE}, à vérifier avant de le transmettre.${message.writtenOn ? ` Rédigé sur ${escapeMarkdown(message.writtenOn)}.` : ''}`, '');
  const sources = message.sources ?? [];
  if (sources.length > 0) {
    lines.push('### Sources', '');
    for (const source of sources) lines.push(`- ${sourceLine(source, message)}`);
    lines.push('');
  }
  return lines;
}

function sourceLine(source: MessageSource, message: StoredMessage): string {
  const markers = (message.citations ?? []).filter((c) => c.ficheId === source.ficheId).map((c) => `[${c.n}]`);
  const title = escapeMarkdown(source.title).replace(/[[\]]/g, '\\$&');
  // Only web links: a `javascript:` or `file:` URL in a damaged record must not become clickable.
  const link = /^https?:\/\//i.test(source.url) ? `[${title}](<${source.url.replace(/[<>\s]/g, encodeURIComponent)}>)` : title;
  const date = frenchDay(source.date);
  return [markers.join(' '), link, `(fiche ${escapeMarkdown(source.ficheId)}${date ? `, mise à jour le ${date}` : ''})`]
    .filter(Boolean)
    .join(' ');
}

/** `service-public.fr (DILA)`, plus the other sites some sources come from (travail-emploi.gouv.fr…). */
function attribution(sources: readonly MessageSource[]): string {
  const others = new Set<string>();
  let dila = false;
  for (const source of sources) {
    const host = hostOf(source.url);
    if (host === undefined || host === 'service-public.fr' || host.endsWith('.service-public.fr')) dila = true;
    else others.add(host.replace(/^www\./, ''));
  }
  return [...(dila ? [DILA_ATTRIBUTION] : []), ...[...others].sort()].join(', ');
}

/** The host of a web URL; `undefined` for anything else (the corpus' default publisher is then assumed). */
function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return /^https?:$/.test(parsed.protocol) && parsed.hostname ? parsed.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Free text stays as typed, but HTML is neutralised: a pasted `<script>` must read as text in a Markdown viewer.
 * CommonMark's backslash escape keeps it readable in a plain editor too.
 */
/** Link targets an export may keep live: the web and e-mail. Anything else (`javascript:`, `data:`, `file:`…) is inert. */
const SAFE_TARGET = /^(https?:\/\/|mailto:)/i;

/** Text as Markdown that renders as written: no raw HTML, and no live link but `http(s):` and `mailto:` ones. */
function escapeMarkdown(text: string): string {
  return text
    .replace(/[<>]/g, '\\$&')
    .replace(/\]\(\s*([^)\s]*)/g, (link, target: string) => (SAFE_TARGET.test(target) ? link : link.replace('](', ']\\(')))
    .replace(/^(\s*)\[([^\]\n]+)\]:\s*(\S+)/gm, (definition, indent: string, label: string, target: string) =>
      SAFE_TARGET.test(target) ? definition : `${indent}\\[${label}]: ${target}`,
    );
}

function dateFormatter(timeZone: string | undefined): (iso: string) => string {
  const format = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
  return (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}

/** `2026-03-12` → `12 mars 2026`; other shapes as published; empty when absent. */
function frenchDay(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value.trim();
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
