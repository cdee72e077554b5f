/** French formatting of what the agent reads: dates, ages, numbers, sizes, durations. */
import type { Audience } from '../../../../assistant/api.js';
import { frenchBytes, frenchDuration, frenchFixed, frenchPercent } from '../../../../assistant/contract/frenchNumbers.js';

/** A fiche older than this is flagged (days). */
export const OLD_FICHE_DAYS = 365;

const DAY_MS = 86_400_000;

function parseDay(iso: string): Date | null {
  const time = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(time) ? null : new Date(time);
}

/** `2020-11-12` → « 12 novembre 2020 ». */
export function formatDate(iso: string): string {
  const date = parseDay(iso);
  if (!date) return iso;
  return date.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** An instant → « 12/11/2020 à 14:05 » in the PC's zone. */
export function formatDateTime(iso: string): string {
  const date = parseDay(iso);
  if (!date) return iso;
  const day = date.toLocaleDateString('fr-FR');
  const time = date.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });
  return `${day} à ${time}`;
}

/** Whole days from an ISO date to `now`. */
export function ageInDays(iso: string, now = Date.now()): number {
  const date = parseDay(iso);
  return date ? Math.max(0, Math.floor((now - date.getTime()) / DAY_MS)) : 0;
}

/** 0 → « aujourd'hui », 40 → « il y a 1 mois », 1900 → « il y a 5 ans ». */
export function formatAge(days: number): string {
  if (days < 1) return "aujourd'hui";
  if (days < 31) return `il y a ${days} jour${days > 1 ? 's' : ''}`;
  if (days < 365) {
    const months = Math.floor(days / 30.44);
    return `il y a ${Math.max(1, months)} mois`;
  }
  const years = Math.floor(days / 365.25);
  return `il y a ${Math.max(1, years)} an${years > 1 ? 's' : ''}`;
}

/** Numbers as everywhere in Guichet (contract layer): « 1 234 », « 12,5 ». `fractionDigits` exactly. */
export function formatNumber(value: number, fractionDigits = 0): string {
  return frenchFixed(value, fractionDigits);
}

/** 0.624 → « 62 % ». */
export function formatPercent(share: number): string {
  return frenchPercent(share, 0);
}

/** Bytes → « 4,1 Gio », « 820 Mio »: the units of the CLI and of the deployment guide. */
export const formatBytes = frenchBytes;

/** Seconds → « 48 s », « 2 min 5 s ». */
export function formatSeconds(seconds: number): string {
  return frenchDuration(Math.round(seconds) * 1000);
}

export const AUDIENCE_LABELS: Record<Audience, string> = {
  particuliers: 'Particuliers',
  professionnels: 'Professionnels',
  associations: 'Associations',
};

export function audienceLabel(audience: string): string {
  return AUDIENCE_LABELS[audience as Audience] ?? audience;
}
