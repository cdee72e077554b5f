/** Small French text chores shared by query analysis, spelling correction and passage scoring. */

/** Lower case without accents or ligatures: « Élève cœur » → « eleve coeur ». Same folding as the full-text index. */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/**
 * Folded word tokens. Elisions are split off (« l'allocation » → « allocation »), hyphenated words kept apart
 * (« auto-entrepreneur » → « auto », « entrepreneur »), digits kept (« 2020 », « 35h »).
 */
export function tokenize(text: string): string[] {
  return surfaceTokens(text).map(fold);
}

/**
 * Lower-case word tokens with their accents, elisions split off: what the in-memory full-text indexes fold and stem
 * (see `ficheStems`, `passageStems`).
 */
export function surfaceTokens(text: string): string[] {
  const tokens = text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.filter((token, index, all) => !(ELIDED.has(fold(token)) && index < all.length - 1));
}

const ELIDED = new Set(['l', 'd', 'j', 'qu', 'n', 's', 'm', 't', 'c', 'jusqu', 'lorsqu', 'puisqu']);

/**
 * A crude stem for comparing words: plural, then one derivational or verb ending, then a final « e », cut to 7
 * letters. « papiers » and « papier », « déclarer » and « déclaration », « renouveler » and « renouvellement » meet;
 * « parent » and « enfant » keep their ending.
 */
export function roughStem(token: string): string {
  return wholeRoughStem(token).slice(0, 7);
}

/** `roughStem` not cut to 7 letters (the passage index's stems, see `passageStems`). */
export function wholeRoughStem(token: string): string {
  if (token.length <= 4) return token;
  let stem = token.replace(/[sx]$/, '');
  const derived = stem.replace(/(issement|ement|ation|ateur|atrice|ite|ive|if|euse|eux|aux|er|ez|ir)$/, '');
  if (derived.length >= 4) stem = derived;
  if (stem.length > 4) stem = stem.replace(/e$/, '');
  return stem;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment), stopping early once above `max`.
 * Returns `max + 1` when the words are further apart than `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (previous2[j - 2] as number) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

/**
 * The word, then the word without the endings of the feminine and the plural (« licenciées » → « licenciée »,
 * « licencié »; « morte » → « mort »): the lists are written in one form, agents type the others. Only endings are
 * taken off the typed word, never off a key: « papier » (a document) is not « papiers » (identity papers).
 */
export function baseForms(word: string): string[] {
  if (word.length <= 4) return [word];
  return [word, word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/e$/, '')];
}
