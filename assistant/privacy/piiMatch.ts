/** The kinds of personal data Guichet detects, and what a detection looks like. */

/** Every kind of personal data, in the order placeholders are documented. */
export const PII_KINDS = [
  'nir',
  'iban',
  'telephone',
  'email',
  'date-naissance',
  'adresse',
  'nom',
  'numero-allocataire',
  'numero-fiscal',
  'carte-bancaire',
] as const;

/**
 * A kind of personal data: social security number (`nir`), bank account (`iban`), French phone number, e-mail address,
 * date of birth, postal address, person's name after a civility, CAF / CPAM number, tax number (SPI), payment card.
 */
export type PiiKind = (typeof PII_KINDS)[number];

/** One piece of personal data found in a text: `text` is `source.slice(start, end)` (UTF-16 offsets, end exclusive). */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
  text: string;
}

/** Which kinds to look for. */
export interface PiiDetectionOptions {
  /** Kinds to detect; default: all of {@link PII_KINDS}. An empty list detects nothing. */
  kinds?: readonly PiiKind[];
}

/**
 * A detector's proposal before overlaps are settled. `priority` breaks ties between candidates of the same length:
 * the more specific reading (checked key, explicit context) wins.
 */
export interface PiiCandidate extends PiiMatch {
  priority: number;
}

/**
 * Tie-breaks between candidates covering the same span: a checked key beats a shape, an explicit context beats a
 * guess. Longer spans win before priorities are compared.
 */
export const PII_PRIORITY = {
  nir: 90,
  iban: 80,
  'carte-bancaire': 70,
  'numero-fiscal': 60,
  'numero-allocataire': 50,
  email: 45,
  telephone: 40,
  'date-naissance': 30,
  adresse: 20,
  nom: 10,
  /** Added when a context phrase introduces the value: « n° fiscal : 0123… » is a tax number, not a card. */
  contextBonus: 25,
} as const;
