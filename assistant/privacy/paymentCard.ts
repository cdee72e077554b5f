/** Payment card numbers (« carte bancaire »): 13–19 digits whose last one is a Luhn check digit. */
import { NUMBER_END, NUMBER_START } from './piiText.js';

/**
 * How card numbers are written: 13–19 digits in one run, or groups of four with one consistent separator (space or
 * dash; the last group may be shorter), or the American Express 4-6-5 layout. Other groupings (« 12 345 678 … »)
 * are amounts or identifiers, not cards.
 */
export const CARD_PATTERN =
  `${NUMBER_START}(?:\\d{13,19}|\\d{4}([ \\-])\\d{4}\\1\\d{4}\\1\\d{1,4}(?:\\1\\d{1,3})?|\\d{4}([ \\-])\\d{6}\\2\\d{5})` +
  NUMBER_END;

/** Whether the digit string passes the Luhn check (every second digit from the right doubled, sum ≡ 0 mod 10). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Whether `digits` (no separators) looks like a card: a length and first digit that networks issue (13 digits: old
 * Visa, « 4 »; 15: American Express, « 3 »; 16–19: « 2 »–« 6 ») and a valid Luhn digit. 14 digits are excluded on
 * purpose: that is a SIRET, which also carries a Luhn digit and is public data.
 */
export function isCardNumber(digits: string): boolean {
  const issued =
    (digits.length === 13 && digits.startsWith('4')) ||
    (digits.length === 15 && digits.startsWith('3')) ||
    (digits.length >= 16 && digits.length <= 19 && /^[2-6]/.test(digits));
  return issued && passesLuhn(digits);
}
