/** Finds the personal data in a text: runs the detectors of the requested kinds and settles their overlaps. */
import { detectAdresse } from './addressDetector.js';
import { detectNom } from './nameDetector.js';
import {
  detectCarteBancaire,
  detectDateNaissance,
  detectEmail,
  detectIban,
  detectNir,
  detectNumeroAllocataire,
  detectNumeroFiscal,
  detectTelephone,
} from './piiDetectors.js';
import { PII_KINDS, type PiiCandidate, type PiiDetectionOptions, type PiiKind, type PiiMatch } from './piiMatch.js';

/** The detector of each kind. */
const DETECTORS: Readonly<Record<PiiKind, (text: string) => PiiCandidate[]>> = {
  nir: detectNir,
  iban: detectIban,
  telephone: detectTelephone,
  email: detectEmail,
  'date-naissance': detectDateNaissance,
  adresse: detectAdresse,
  nom: detectNom,
  'numero-allocataire': detectNumeroAllocataire,
  'numero-fiscal': detectNumeroFiscal,
  'carte-bancaire': detectCarteBancaire,
};

/**
 * Personal data in `text`, sorted by position and never overlapping. When detections overlap, the longest wins
 * (an address holding « Docteur Roux » is one address, not a name), then the most specific (a NIR with a checked
 * key beats a tax-number shape on the same digits).
 *
 * Runs in linear time in practice: every pattern is anchored on a left edge that fails at once inside a word, and
 * context phrases are looked up in a short window before each candidate only.
 */
export function detectPii(text: string, options: PiiDetectionOptions = {}): PiiMatch[] {
  const kinds = options.kinds ?? PII_KINDS;
  const candidates = [...new Set(kinds)].flatMap((kind) => DETECTORS[kind](text));
  return settleOverlaps(candidates).map(({ kind, start, end, text: value }) => ({ kind, start, end, text: value }));
}

/** Keeps the longest, then highest-priority, candidates that overlap nothing already kept; sorted by start. */
function settleOverlaps(candidates: PiiCandidate[]): PiiCandidate[] {
  const byStrength = [...candidates].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || b.priority - a.priority || a.start - b.start,
  );
  const kept: PiiCandidate[] = [];
  for (const next of byStrength) {
    const at = firstEndingAfter(kept, next.start);
    const neighbour = kept[at];
    if (neighbour && neighbour.start < next.end) continue;
    kept.splice(at, 0, next);
  }
  return kept;
}

/** Index of the first kept match (sorted, disjoint) that ends after `position`: the only one `position` may hit. */
function firstEndingAfter(kept: readonly PiiCandidate[], position: number): number {
  let low = 0;
  let high = kept.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((kept[middle]?.end ?? 0) <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}
