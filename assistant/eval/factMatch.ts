/**
 * Text as facts are compared: lower case, no accents, numbers in one spelling (« 12,50 € » and « 12.5 euros » both
 * read `12.5 eur`), punctuation as spaces. Thousands written with a space (« 1 500 € ») are joined; a comma or a dot
 * is a decimal separator.
 */
export function normaliseForFacts(text: string): string {
  let out = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u00a0\u202f\u2009]/gu, ' ')
    .replace(/œ/gu, 'oe')
    .replace(/æ/gu, 'ae');
  // Thousands separated by a space: « 1 500 » → « 1500 » (only groups of exactly three digits).
  out = out.replace(/\b\d{1,3}(?: \d{3})+\b/gu, (group) => group.replace(/ /gu, ''));
  out = out.replace(/(\d+)[.,](\d+)/gu, (_all, whole: string, decimals: string) => {
    const trimmed = decimals.replace(/0+$/u, '');
    return trimmed ? `${whole}.${trimmed}` : whole;
  });
  out = out
    .replace(/€/gu, ' eur ')
    .replace(/\beuros?\b/gu, ' eur ')
    .replace(/%/gu, ' pourcent ')
    .replace(/\bpour ?cent\b/gu, ' pourcent ');
  // Keep the decimal point between digits only; everything else that is not a letter or digit separates words.
  out = out.replace(/(?<!\d)\.|\.(?!\d)/gu, ' ').replace(/[^\p{L}\p{N}.]+/gu, ' ');
  return out.replace(/\s+/gu, ' ').trim();
}

/** Whether the answer contains the fact, as whole words after {@link normaliseForFacts}. */
export function factFound(answer: string, fact: string): boolean {
  const wanted = normaliseForFacts(fact);
  if (!wanted) return false;
  return ` ${normaliseForFacts(answer)} `.includes(` ${wanted} `);
}

/** The facts found in the answer, and how many were expected. */
export function factsFound(answer: string, facts: readonly string[]): { found: string[]; missing: string[] } {
  const found: string[] = [];
  const missing: string[] = [];
  for (const fact of facts) (factFound(answer, fact) ? found : missing).push(fact);
  return { found, missing };
}
