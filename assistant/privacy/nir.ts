/**
 * The French social security number (NIR, « numéro de sécurité sociale »): 13 characters and a 2-digit key.
 *
 * Layout: sex (1) · year (2) · month (2) · department (2, « 2A »/« 2B » for Corsica, or 3 for overseas 97x/98x) ·
 * commune (3, or 2 overseas) · order (3) · key (2). The key is `97 − (number mod 97)`, computed on the 13 characters
 * with « 2A » read as 19 and « 2B » as 18.
 */
import { DIGIT_SEPARATOR, NUMBER_END, NUMBER_START } from './piiText.js';

/** The parts of a NIR, without separators. */
export interface NirParts {
  /** The 13 characters before the key, upper-cased (« 2A » stays « 2A »). */
  body: string;
  /** The 2-digit key as written, absent when only the 13 characters were given. */
  key?: string;
}

const S = `${DIGIT_SEPARATOR}?`;

/**
 * Where a NIR may be written: digit groups 1-2-2-2-3-3(-2), each separator optional and independent, because agents
 * type « 1 85 05 78 006 084 36 », « 185057800608436 » and « 1.85.05.78.006.084 » alike. Sex digit 1/2 (3/4/7/8
 * for temporary numbers); department 2 digits or 2A/2B, or 3 digits + 2-digit commune overseas. Month and key are
 * checked afterwards by {@link parseNir}, which also needs them without separators.
 */
export const NIR_PATTERN =
  `${NUMBER_START}[1-478]${S}\\d{2}${S}\\d{2}${S}` +
  `(?:(?:\\d{2}|2[ABab])${S}\\d{3}|9[78]\\d${S}\\d{2})${S}\\d{3}(?:${S}\\d{2})?${NUMBER_END}`;

/** Sex, year, month, department + commune, order, optional key: the compact form. */
const NIR_COMPACT = /^([1-478])(\d{2})(\d{2})(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})?$/;

/**
 * Months a NIR can carry: 01–12; 20–42 for records where the month was unknown or assigned by convention;
 * 50 and above for people registered from incomplete civil-status papers. 00, 13–19 and 43–49 are never issued.
 */
function isNirMonth(month: number): boolean {
  return (month >= 1 && month <= 12) || (month >= 20 && month <= 42) || month >= 50;
}

/**
 * Reads a NIR written with or without separators (spaces, dots, dashes). Returns its parts when the layout and the
 * month are plausible, whatever the key; `undefined` otherwise.
 */
export function parseNir(written: string): NirParts | undefined {
  const value = written.replace(/[\s.\-]/g, '').toUpperCase();
  const parts = NIR_COMPACT.exec(value);
  if (!parts) return undefined;
  if (!isNirMonth(Number(parts[3]))) return undefined;
  const body = value.slice(0, 13);
  return parts[7] === undefined ? { body } : { body, key: parts[7] };
}

/**
 * The key of the 13 characters `body` (digits, « 2A » or « 2B » in the department): a number from 1 to 97.
 * @throws RangeError when `body` is not 13 such characters.
 */
export function nirKey(body: string): number {
  const digits = body.toUpperCase().replace(/^(.{5})2A/, '$119').replace(/^(.{5})2B/, '$118');
  if (!/^\d{13}$/.test(digits)) throw new RangeError(`Un NIR compte 13 caractères avant la clé : « ${body} ».`);
  // 13 digits stay below 2^53: plain numbers are exact here.
  return 97 - (Number(digits) % 97);
}

/** Whether `written` is a complete NIR (15 characters, separators allowed) whose key matches. */
export function isValidNir(written: string): boolean {
  const parts = parseNir(written);
  return parts?.key !== undefined && Number(parts.key) === nirKey(parts.body);
}
