/**
 * International bank account numbers (ISO 13616): country code, 2 check digits, then up to 30 letters and digits,
 * usually printed in groups of four. Valid when the number, rearranged and with letters read as 10–35, is 1 mod 97.
 */
import { WORD_START } from './piiText.js';

/**
 * Lengths per country, for the countries a French counter sees most (EU/EEA, neighbours, Maghreb); an IBAN of
 * another country only needs a length between 15 and 34.
 */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, DZ: 26, EE: 20, ES: 24, FI: 18, FR: 27,
  GB: 22, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21, LT: 20, LU: 20, LV: 21, MA: 28, MC: 27, MT: 31,
  NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19, SK: 24, SM: 27, TN: 24, TR: 26,
};

/**
 * A run that may hold an IBAN: upper-case country code and check digits, then groups of 1–4 letters or digits with
 * optional single spaces. Deliberately longer than needed (it may swallow a following word such as « EUR »):
 * {@link ibanLength} then finds where the IBAN really ends. Upper case only: « fr76 » in prose is too rare to be
 * worth the false positives of reading every word as a group.
 */
export const IBAN_PATTERN = `${WORD_START}[A-Z]{2}\\d{2}(?:[ \\u00A0\\u202F]?[A-Z0-9]{1,4}){2,8}`;

/** `value` (compact, upper case) is 1 mod 97 once its first four characters are moved to the end. */
function passesMod97(value: string): boolean {
  const rearranged = value.slice(4) + value.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    // Digits count as themselves, letters A–Z as 10–35 (two digits): fold them in digit by digit.
    const digits = code <= 57 ? char : String(code - 55);
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Whether `compactValue` (no spaces, upper case) has the length its country requires. */
function hasIbanLength(compactValue: string): boolean {
  const expected = IBAN_LENGTHS[compactValue.slice(0, 2)];
  return expected === undefined ? compactValue.length >= 15 && compactValue.length <= 34 : compactValue.length === expected;
}

/** Whether `written` (spaces allowed, any case) is an IBAN with a correct length and check digits. */
export function isValidIban(written: string): boolean {
  const value = written.replace(/[\s\u00A0\u202F]/g, '').toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(value) && hasIbanLength(value) && passesMod97(value);
}

/**
 * How many characters of `run` (a match of {@link IBAN_PATTERN}) form an IBAN, trying the longest cut first and
 * cutting only at the end of a group, where the next character is neither a letter nor a digit. With
 * `checkKey: false` (context says it is an IBAN), a cut with the right length suffices even if the key is wrong.
 * Returns 0 when no cut fits.
 */
export function ibanLength(run: string, following: string, checkKey: boolean): number {
  for (let end = run.length; end >= 15; end -= 1) {
    const next = end < run.length ? run.charAt(end) : following;
    if (/[\p{L}\p{N}_]/u.test(next)) continue;
    const value = run.slice(0, end).replace(/[\s\u00A0\u202F]/g, '');
    if (!hasIbanLength(value)) continue;
    if (!checkKey || passesMod97(value)) return end;
  }
  return 0;
}
