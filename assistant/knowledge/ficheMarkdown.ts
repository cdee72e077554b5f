import { ONLINE_SERVICE_LABELS, type Fiche } from '../../corpus/fiche.js';

/** The attribution the Licence Ouverte asks for, with the fiche's date. */
export function attribution(fiche: Pick<Fiche, 'source' | 'date'>): string {
  const origin = fiche.source === 'dila' ? 'service-public.fr (DILA)' : 'travail-emploi.gouv.fr';
  return `Source : ${origin}, fiche mise à jour le ${frenchDate(fiche.date)}.`;
}

/** `2020-07-21` → `21/07/2020`. */
export function frenchDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return year && month && day ? `${day}/${month}/${year}` : iso;
}

/** A whole fiche as one Markdown document: the offline reader's text, and `guichet fiche --markdown`. */
export function ficheMarkdown(fiche: Fiche): string {
  const lines: string[] = [`# ${fiche.title}`, ''];
  if (fiche.breadcrumb.length > 1) lines.push(`*${fiche.breadcrumb.map((level) => level.title).join(' › ')}*`, '');
  lines.push(`${attribution(fiche)} Public : ${fiche.audience}. ${fiche.url}`, '');
  if (fiche.description) lines.push(`> ${fiche.description}`, '');
  let previous: string[] = [];
  for (const section of fiche.sections) {
    const common = previous.findIndex((title, index) => section.path[index] !== title);
    const from = common === -1 ? previous.length : common;
    section.path.slice(from).forEach((title, offset) => lines.push(`${'#'.repeat(Math.min(6, from + offset + 2))} ${title}`, ''));
    if (section.text) lines.push(section.text, '');
    previous = section.path;
  }
  const list = (title: string, items: string[]) => {
    if (items.length > 0) lines.push(`## ${title}`, '', ...items, '');
  };
  list('Services en ligne', fiche.onlineServices.map((s) => `- ${ONLINE_SERVICE_LABELS[s.type]} : [${s.title}](${s.url})${s.institution ? ` — ${s.institution}` : ''}`));
  list("Où s'adresser ?", fiche.contacts.map((c) => `- ${c.title}${c.url ? ` : ${c.url}` : ''}`));
  list('Questions fréquentes', fiche.relatedQuestions.map((q) => `- ${q.question} (${q.ficheId})`));
  list('Textes de référence', fiche.references.map((r) => `- ${r.url ? `[${r.title}](${r.url})` : r.title}`));
  if (fiche.dossier) {
    list(
      `Dossier : ${fiche.dossier.title}`,
      fiche.dossier.groups.flatMap((group) => [
        ...(group.title ? [`- **${group.title}**`] : []),
        ...group.fiches.map((f) => `${group.title ? '  ' : ''}- ${f.title} (${f.id})`),
      ]),
    );
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
