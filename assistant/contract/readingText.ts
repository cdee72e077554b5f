/**
 * The French lines that say how the prompt was read, shared by the CLI and the interface (browser-safe: no import).
 */

const percent = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const seconds = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** « Lecture des extraits : 60 % ». `fraction` 0–1. */
export function readingLabel(fraction: number): string {
  return `Lecture des extraits : ${percent.format(Math.max(0, Math.min(1, fraction)))}`;
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
  return `Lu après la question : ${integer.format(stats.evaluatedPromptTokens)} jetons sur ${integer.format(stats.promptTokens)} (${percent.format(share)}), en ${seconds.format(stats.readAfterSubmitMs / 1000)} s`;
}
