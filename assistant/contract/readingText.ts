/** The French lines that say how the prompt was read, shared by the CLI and the interface (browser-safe). */
import { frenchFixed, frenchNumber, frenchPercent } from './frenchNumbers.js';

/** « Lecture des extraits : 60 % ». `fraction` 0–1. */
export function readingLabel(fraction: number): string {
  return `Lecture des extraits : ${frenchPercent(Math.max(0, Math.min(1, fraction)), 0)}`;
}

/** The figures the line below is made of (`AskStats`' own). */
export interface ReadingFigures {
  promptTokens: number;
  evaluatedPromptTokens: number;
  readAfterSubmitMs: number | null;
}

/**
 * « Lu après la question : 42 jetons sur 980 (4 %), en 0,6 s » — how much of the prompt was left to read once the
 * agent asked, and how long that took (the first word included). `null` without a model.
 */
export function readAfterSubmitText(stats: ReadingFigures): string | null {
  if (stats.readAfterSubmitMs === null || stats.promptTokens <= 0) return null;
  const share = stats.evaluatedPromptTokens / stats.promptTokens;
  return `Lu après la question : ${frenchNumber(stats.evaluatedPromptTokens, 0)} jetons sur ${frenchNumber(stats.promptTokens, 0)} (${frenchPercent(share, 0)}), en ${frenchFixed(stats.readAfterSubmitMs / 1000, 1)} s`;
}
