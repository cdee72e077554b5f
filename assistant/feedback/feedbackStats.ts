/**
 * Local statistics of the agent's feedback on drafts: how many were used as-is, edited or discarded, and how long it
 * took from the question to copying the draft. Pure functions over the stored entries, so a UI, the CLI and the
 * tests compute the same figures.
 */

/** What the agent did with a draft. */
export type FeedbackVerdict = 'used-as-is' | 'edited' | 'discarded';

/** One stored feedback line (see `FeedbackStore`). */
export interface FeedbackEntry {
  conversationId: string;
  /** The assistant message (draft) this is about. */
  messageId: string;
  verdict: FeedbackVerdict;
  /** Seconds from the question to the first copy of the draft; absent when it was not copied. */
  secondsToCopy?: number;
  /** The agent's remark, masked. */
  comment?: string;
  /** ISO 8601 instant of the feedback. */
  at: string;
}

/** Counts over a set of drafts. */
export interface FeedbackCounts {
  /** Drafts with at least one feedback; several feedbacks on one draft count once, with the last verdict. */
  drafts: number;
  usedAsIs: number;
  edited: number;
  discarded: number;
  /** `usedAsIs / drafts`, from 0 to 1; `null` without drafts. */
  shareUsedAsIs: number | null;
  /** Median of the drafts' `secondsToCopy` (mean of the two middle values for an even count); `null` without any. */
  medianSecondsToCopy: number | null;
}

/** One calendar week (Monday to Sunday, in the PC's time zone). */
export interface WeeklyFeedback extends FeedbackCounts {
  /** The week's Monday, `YYYY-MM-DD`. */
  weekStart: string;
}

/** What {@link computeFeedbackStats} returns: ready for a UI card or {@link formatStatsFr}. */
export interface FeedbackStats extends FeedbackCounts {
  /** The `since` bound applied, ISO instant, or `null` for everything. */
  since: string | null;
  /** Oldest week first; weeks without feedback are left out. */
  byWeek: WeeklyFeedback[];
}

/** Options of {@link computeFeedbackStats}. */
export interface FeedbackStatsOptions {
  /** Only drafts whose first feedback is at or after this instant. */
  since?: Date;
  /** IANA zone that decides which week a draft falls in; default the PC's. */
  timeZone?: string;
}

interface Draft {
  firstAt: string;
  verdict: FeedbackVerdict;
  secondsToCopy?: number;
}

/** Figures over `entries` (any order). */
export function computeFeedbackStats(entries: readonly FeedbackEntry[], options: FeedbackStatsOptions = {}): FeedbackStats {
  const drafts = new Map<string, Draft>();
  for (const entry of [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    const key = `${entry.conversationId}\u0000${entry.messageId}`;
    const draft = drafts.get(key);
    if (!draft) {
      drafts.set(key, { firstAt: entry.at, verdict: entry.verdict, ...optionalSeconds(entry.secondsToCopy) });
      continue;
    }
    // The last verdict wins (copied, then edited afterwards); the time to copy is the first one measured.
    draft.verdict = entry.verdict;
    draft.secondsToCopy ??= entry.secondsToCopy;
  }
  const since = options.since?.toISOString();
  const kept = [...drafts.values()].filter((draft) => since === undefined || draft.firstAt >= since);
  const weekOf = weekStarter(options.timeZone);
  const weeks = new Map<string, Draft[]>();
  for (const draft of kept) {
    const week = weekOf(draft.firstAt);
    weeks.set(week, [...(weeks.get(week) ?? []), draft]);
  }
  const byWeek = [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([weekStart, list]) => ({ weekStart, ...counts(list) }));
  return { since: since ?? null, ...counts(kept), byWeek };
}

/** Median of `values`; `null` when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** « 6 brouillons sur 10 utilisés tels quels (60 %) », or « Aucun brouillon évalué ». */
export function formatShareFr(counts: FeedbackCounts): string {
  if (counts.drafts === 0) return 'Aucun brouillon évalué';
  const plural = counts.usedAsIs > 1;
  const share = Math.round((counts.shareUsedAsIs ?? 0) * 100);
  return `${counts.usedAsIs} brouillon${plural ? 's' : ''} sur ${counts.drafts} utilisé${plural ? 's tels quels' : ' tel quel'} (${share} %)`;
}

/** `42 s`, `1 min 25 s`, `2 h 05 min`. */
export function formatDurationFr(seconds: number): string {
  const total = Math.round(seconds);
  if (total < 60) return `${total} s`;
  if (total < 3600) {
    const rest = total % 60;
    return `${Math.floor(total / 60)} min${rest ? ` ${rest} s` : ''}`;
  }
  return `${Math.floor(total / 3600)} h ${String(Math.floor((total % 3600) / 60)).padStart(2, '0')} min`;
}

/** The statistics as French text for the CLI (`guichet stats`), one figure per line. */
export function formatStatsFr(stats: FeedbackStats): string {
  const lines = ['Retours sur les brouillons (ce poste uniquement)'];
  if (stats.since) lines.push(`Depuis le ${frenchDay(stats.since.slice(0, 10))}`);
  if (stats.drafts === 0) return [...lines, "Aucun retour enregistré pour l'instant."].join('\n');
  lines.push(`${formatShareFr(stats)}, ${agreed(stats.edited, 'modifié')}, ${agreed(stats.discarded, 'écarté')}.`);
  lines.push(
    stats.medianSecondsToCopy === null
      ? 'Temps médian entre la question et la copie : pas encore mesuré.'
      : `Temps médian entre la question et la copie : ${formatDurationFr(stats.medianSecondsToCopy)}.`,
  );
  if (stats.byWeek.length > 1) {
    lines.push('Par semaine :');
    for (const week of stats.byWeek) {
      const time = week.medianSecondsToCopy === null ? '' : `, temps médian ${formatDurationFr(week.medianSecondsToCopy)}`;
      lines.push(`- semaine du ${frenchDay(week.weekStart)} : ${formatShareFr(week)}${time}`);
    }
  }
  return lines.join('\n');
}

function counts(drafts: readonly Draft[]): FeedbackCounts {
  const usedAsIs = drafts.filter((d) => d.verdict === 'used-as-is').length;
  const seconds = drafts.flatMap((d) => (d.secondsToCopy === undefined ? [] : [d.secondsToCopy]));
  return {
    drafts: drafts.length,
    usedAsIs,
    edited: drafts.filter((d) => d.verdict === 'edited').length,
    discarded: drafts.filter((d) => d.verdict === 'discarded').length,
    shareUsedAsIs: drafts.length === 0 ? null : usedAsIs / drafts.length,
    medianSecondsToCopy: median(seconds),
  };
}

function optionalSeconds(seconds: number | undefined): { secondsToCopy?: number } {
  return seconds === undefined ? {} : { secondsToCopy: seconds };
}

/** French agreement: 0 and 1 take the singular. */
function agreed(count: number, word: string): string {
  return `${count} ${word}${count > 1 ? 's' : ''}`;
}

/** Maps an instant to the Monday (`YYYY-MM-DD`) of its week in `timeZone`. */
function weekStarter(timeZone: string | undefined): (iso: string) => string {
  const day = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...(timeZone ? { timeZone } : {}) });
  return (iso) => {
    const [year, month, date] = day.format(new Date(iso)).split('-').map(Number);
    const utc = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1));
    utc.setUTCDate(utc.getUTCDate() - ((utc.getUTCDay() + 6) % 7));
    return utc.toISOString().slice(0, 10);
  };
}

function frenchDay(ymd: string): string {
  const [year, month, date] = ymd.split('-').map(Number);
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1)),
  );
}
