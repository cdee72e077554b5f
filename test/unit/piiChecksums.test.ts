import { describe, expect, it } from 'vitest';
import { isValidIban, ibanLength } from '../../assistant/privacy/iban.js';
import { isValidNir, nirKey, parseNir } from '../../assistant/privacy/nir.js';
import { isCardNumber, passesLuhn } from '../../assistant/privacy/paymentCard.js';

/** The NIR key computed independently of the code under test (BigInt, Corsica mapped by hand). */
function expectedKey(body: string): string {
  const digits = body.slice(0, 5) + body.slice(5, 7).replace('2A', '19').replace('2B', '18') + body.slice(7);
  return String(97n - (BigInt(digits) % 97n)).padStart(2, '0');
}

/** A key that is certainly wrong for `body`. */
function wrongKey(body: string): string {
  return String(((Number(expectedKey(body)) + 1) % 97) + 1).padStart(2, '0');
}

describe('NIR', () => {
  const body = '1850578006084';
  const key = expectedKey(body);

  it('computes the key as 97 − (number mod 97)', () => {
    expect(key).toBe('91');
    expect(nirKey(body)).toBe(91);
    expect(nirKey('2900275123456')).toBe(Number(expectedKey('2900275123456')));
  });

  it('accepts a valid NIR with spaces, dots, dashes or nothing between the groups', () => {
    expect(isValidNir(`1 85 05 78 006 084 ${key}`)).toBe(true);
    expect(isValidNir(`1.85.05.78.006.084.${key}`)).toBe(true);
    expect(isValidNir(`1-85-05-78-006-084-${key}`)).toBe(true);
    expect(isValidNir(`${body}${key}`)).toBe(true);
  });

  it('rejects a wrong key, a missing key and a wrong length', () => {
    expect(isValidNir(`1 85 05 78 006 084 ${wrongKey(body)}`)).toBe(false);
    expect(isValidNir('1 85 05 78 006 084')).toBe(false);
    expect(isValidNir(`1 85 05 78 006 08 ${key}`)).toBe(false);
  });

  it('reads Corsican departments 2A and 2B as 19 and 18 for the key', () => {
    const ajaccio = '290022A004123';
    const bastia = '290022B004123';
    expect(nirKey(ajaccio)).toBe(4);
    expect(nirKey(bastia)).toBe(31);
    expect(isValidNir(`2 90 02 2A 004 123 ${expectedKey(ajaccio)}`)).toBe(true);
    expect(isValidNir(`2 90 02 2b 004 123 ${expectedKey(bastia)}`)).toBe(true);
    // The key of 2A is not the key of 2B.
    expect(isValidNir(`2 90 02 2A 004 123 ${expectedKey(bastia)}`)).toBe(false);
  });

  it('accepts temporary numbers (sex digit 3, 4, 7, 8) but not 5, 6, 9 or 0', () => {
    for (const sex of ['1', '2', '3', '4', '7', '8']) {
      const temporary = `${sex}850578006084`;
      expect(isValidNir(temporary + expectedKey(temporary)), sex).toBe(true);
    }
    for (const sex of ['0', '5', '6', '9']) {
      const impossible = `${sex}850578006084`;
      expect(isValidNir(impossible + expectedKey(impossible)), sex).toBe(false);
    }
  });

  it('accepts months 01–12, 20–42 and 50+, rejects 00, 13–19 and 43–49', () => {
    for (const month of ['01', '12', '20', '30', '42', '50', '99']) expect(parseNir(`185${month}78006084`), month).toBeDefined();
    for (const month of ['00', '13', '19', '43', '49']) expect(parseNir(`185${month}78006084`), month).toBeUndefined();
  });

  it('parses the body and the key as written', () => {
    expect(parseNir(`1 85 05 78 006 084 ${key}`)).toEqual({ body, key });
    expect(parseNir('2 90 02 2a 004 123')).toEqual({ body: '290022A004123' });
    expect(() => nirKey('12345')).toThrow(RangeError);
  });
});

describe('IBAN', () => {
  it('accepts valid IBANs of France and other countries, with or without spaces, any case', () => {
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(isValidIban('FR7630006000011234567890189')).toBe(true);
    expect(isValidIban('fr76 3000 6000 0112 3456 7890 189')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isValidIban('BE68 5390 0754 7034')).toBe(true);
  });

  it('rejects a wrong key, a changed digit and a wrong length for the country', () => {
    expect(isValidIban('FR77 3000 6000 0112 3456 7890 189')).toBe(false);
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 188')).toBe(false);
    expect(isValidIban('FR76 3000 6000 0112 3456 7890 18')).toBe(false);
    expect(isValidIban('DE89 3704 0044 0532 0130 001')).toBe(false);
  });

  it('finds where an IBAN ends inside a longer run, cutting at a group end only', () => {
    const run = 'FR76 3000 6000 0112 3456 7890 189 EUR';
    expect(ibanLength(run, '', true)).toBe('FR76 3000 6000 0112 3456 7890 189'.length);
    expect(ibanLength('FR76 3000 6000 0112 3456 7890 188', '', true)).toBe(0);
    expect(ibanLength('FR76 3000 6000 0112 3456 7890 188', '', false)).toBe(33);
    expect(ibanLength('FR76 3000 6000 0112 3456 7890 189', 'X', true)).toBe(0);
  });
});

describe('payment card numbers', () => {
  it('checks the Luhn digit', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('12a4')).toBe(false);
  });

  it('requires an issued length and first digit, and leaves SIRET numbers alone', () => {
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('5555555555554444')).toBe(true);
    expect(isCardNumber('378282246310005')).toBe(true);
    // Luhn-valid SIRET (14 digits) and a Luhn-valid 16-digit run starting with 9.
    expect(passesLuhn('73282932000074')).toBe(true);
    expect(isCardNumber('73282932000074')).toBe(false);
    expect(passesLuhn('9111111111111110')).toBe(true);
    expect(isCardNumber('9111111111111110')).toBe(false);
  });
});
