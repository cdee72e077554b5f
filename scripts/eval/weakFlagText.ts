import { frenchPercent } from '../../assistant/contract/frenchNumbers.js';
import type { WeakFlagFigures } from '../../assistant/knowledge/retrievalEval.js';

/**
 * The weak-retrieval flag against the misses, in French, for the CLI and the report: the flag is worth showing to the
 * agent only when the flagged questions miss their fiche much more often than the others.
 */
export function weakFlagText(flag: WeakFlagFigures): string {
  const share = (part: number, whole: number) => frenchPercent(whole ? part / whole : null);
  const total = flag.flagged + flag.notFlagged;
  return (
    `recherche signalée faible : ${flag.flagged} question${flag.flagged > 1 ? 's' : ''} sur ${total} (${share(flag.flagged, total)}) ; ` +
    `fiche attendue absente des 5 premières : ${share(flag.flaggedAbsent, flag.flagged)} des signalées, ${share(flag.notFlaggedAbsent, flag.notFlagged)} des autres`
  );
}
