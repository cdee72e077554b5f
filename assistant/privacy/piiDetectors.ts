/**
 * One detector per kind of personal data with a fixed shape (numbers, e-mail, birth date). Each returns candidates,
 * possibly overlapping: `detectPii` settles overlaps. Detectors are precise rather than greedy: the texts are
 * questions about procedures, full of article numbers, amounts, deadlines and form references that must survive.
 *
 * Names and postal addresses have their own files (`nameDetector.ts`, `addressDetector.ts`).
 */
import { IBAN_PATTERN, ibanLength } from './iban.js';
import { NIR_PATTERN, isValidNir, parseNir } from './nir.js';
import { CARD_PATTERN, isCardNumber } from './paymentCard.js';
import { PII_PRIORITY, type PiiCandidate } from './piiMatch.js';
import {
  BLANK,
  LOOSE_GAP,
  NUMBER_END,
  NUMBER_START,
  TIGHT_GAP,
  WORD_END,
  candidate,
  compact,
  matchCandidate,
  hasContextBefore,
} from './piiText.js';

// ——— NIR ———

/** Phrases that announce a NIR: « NIR », « n° de sécurité sociale », « numéro de sécu », « carte Vitale »… */
const NIR_CONTEXT = new RegExp(
  '(?:(?<!\\p{L})NIR(?!\\p{L})|sécurité\\s+sociale|(?<!\\p{L})sécu(?!\\p{L})|carte\\s+vitale|immatriculation|' +
    "(?<!\\p{L})(?:n°|num[ée]ro|no\\.?)\\s*(?:de\\s+)?(?:SS|INSEE)(?!\\p{L})|(?:n°|num[ée]ro)\\s*d['’]\\s*assuré)" +
    LOOSE_GAP,
  'iu',
);

/** NIRs: any NIR whose key matches; with a context phrase, also a wrong key or no key at all. */
export function detectNir(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(new RegExp(NIR_PATTERN, 'gu'))) {
    if (!parseNir(match[0])) continue;
    const introduced = hasContextBefore(text, match.index, NIR_CONTEXT);
    if (!introduced && !isValidNir(match[0])) continue;
    found.push(matchCandidate('nir', text, match, PII_PRIORITY.nir + (introduced ? PII_PRIORITY.contextBonus : 0)));
  }
  return found;
}

// ——— IBAN ———

/** Phrases that announce a bank account: « IBAN », « RIB », « coordonnées bancaires », « compte n° ». */
const IBAN_CONTEXT = new RegExp(
  '(?:(?<!\\p{L})(?:IBAN|RIB)(?!\\p{L})|coordonnées\\s+bancaires|(?<!\\p{L})compte(?:\\s+bancaire)?\\s*(?:n°|:))' +
    LOOSE_GAP,
  'iu',
);

/** IBANs with valid check digits; with a context phrase, also the right length with a wrong key. */
export function detectIban(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  const pattern = new RegExp(IBAN_PATTERN, 'gu');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    const run = match[0];
    const following = text.charAt(start + run.length);
    let length = ibanLength(run, following, true);
    const introduced = length === 0 && hasContextBefore(text, start, IBAN_CONTEXT);
    if (introduced) length = ibanLength(run, following, false);
    if (length > 0) found.push(candidate('iban', text, start, start + length, PII_PRIORITY.iban));
    // The run may have swallowed the start of a second IBAN: resume right after what was kept.
    pattern.lastIndex = start + Math.max(length, 1);
  }
  return found;
}

// ——— Telephone ———

/**
 * French phone numbers: « 0X » then four pairs, one consistent separator (space, dot, dash or none), or the
 * international forms « +33 6… », « 0033 6… », « +33 (0)6… ». X is 1–7 or 9: « 08 » numbers are services (numéros
 * verts, « 0 800 … »), never a person's line, and agents must keep them in answers.
 */
const PHONE_PATTERN =
  '(?<![\\p{L}\\p{N}_+])(?:(?:\\+|00)[ \\u00A0]?33[ .\\-\\u00A0]?(?:\\(0\\)[ \\u00A0]?)?|\\(0\\)[ \\u00A0]?|0)' +
  `[1-79]([ .\\-\\u00A0]?)\\d{2}(?:\\1\\d{2}){3}${WORD_END}`;

/** French landline and mobile numbers. */
export function detectTelephone(text: string): PiiCandidate[] {
  return [...text.matchAll(new RegExp(PHONE_PATTERN, 'gu'))].map((match) =>
    matchCandidate('telephone', text, match, PII_PRIORITY.telephone),
  );
}

// ——— E-mail ———

/** Local part, « @ », dot-separated labels not starting or ending with a dash, a top-level domain of letters. */
const EMAIL_PATTERN =
  '(?<![\\p{L}\\p{N}._%+\\-])[\\p{L}\\p{N}._%+\\-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\-]*[\\p{L}\\p{N}])?\\.)+' +
  '\\p{L}{2,}(?![\\p{L}\\p{N}\\-])';

/** E-mail addresses. */
export function detectEmail(text: string): PiiCandidate[] {
  return [...text.matchAll(new RegExp(EMAIL_PATTERN, 'gu'))].map((match) =>
    matchCandidate('email', text, match, PII_PRIORITY.email),
  );
}

// ——— Payment card ———

/** Payment card numbers: an issued length and prefix, and a valid Luhn digit. */
export function detectCarteBancaire(text: string): PiiCandidate[] {
  return [...text.matchAll(new RegExp(CARD_PATTERN, 'gu'))]
    .filter((match) => isCardNumber(compact(match[0])))
    .map((match) => matchCandidate('carte-bancaire', text, match, PII_PRIORITY['carte-bancaire']));
}

// ——— Tax number (SPI) ———

/** Phrases that announce a tax number: « numéro fiscal », « n° fiscal », « SPI », « identifiant fiscal »… */
const FISCAL_CONTEXT = new RegExp(
  '(?:(?:num[ée]ro|n°|no\\.?|identifiant|référence)\\s*(?:fiscale?|d[\'’]identification\\s+fiscale|de\\s+télédéclarant)|' +
    `(?<!\\p{L})(?:SPI|NIF)(?!\\p{L}))${LOOSE_GAP}`,
  'iu',
);

/** 13 digits starting 0–3, single spaces allowed anywhere between digits. */
const FISCAL_PATTERN = `${NUMBER_START}[0-3](?:[ \\u00A0]?\\d){12}${NUMBER_END}`;

/** How a tax number is printed on a tax notice, or in one run: the only shapes trusted without a context phrase. */
const FISCAL_ALONE = /^(?:\d{13}|\d{2} \d{2} \d{3} \d{3} \d{3})$/;

/**
 * French tax numbers (« numéro fiscal », SPI): 13 digits starting 0–3. Introduced by a context phrase, any spacing;
 * alone, only the printed or compact shapes. A 13-digit NIR body followed by its key is a longer NIR match and wins.
 */
export function detectNumeroFiscal(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(new RegExp(FISCAL_PATTERN, 'gu'))) {
    const introduced = hasContextBefore(text, match.index, FISCAL_CONTEXT);
    if (!introduced && !FISCAL_ALONE.test(match[0])) continue;
    const priority = PII_PRIORITY['numero-fiscal'] + (introduced ? PII_PRIORITY.contextBonus : 0);
    found.push(matchCandidate('numero-fiscal', text, match, priority));
  }
  return found;
}

// ——— CAF / CPAM number ———

/**
 * Phrases that announce a CAF, MSA or CPAM file number: « n° allocataire », « numéro d'allocataire », « numéro
 * CAF », « matricule CAF », « n° de dossier CPAM », « allocataire n° ». Followed only by punctuation ({@link TIGHT_GAP}),
 * because the value (a bare run of digits) has no shape of its own.
 */
const ALLOCATAIRE_CONTEXT = new RegExp(
  "(?:(?<!\\p{L})(?:num[ée]ro|num\\.?|n°|no\\.?|matricule|identifiant|référence|réf\\.?|dossier)\\s*(?:d['’]\\s*|de\\s+)?" +
    '(?:(?:allocataire|alloc\\.?)(?:\\s+(?:CAF|MSA))?|(?:dossier\\s+)?(?:CAF|MSA|CPAM|CNAV|CARSAT))|' +
    `(?<!\\p{L})allocataire(?:\\s+(?:CAF|MSA))?\\s*(?:n°|:))${TIGHT_GAP}`,
  'iu',
);

/** 6 to 13 digits in one run: CAF numbers have 7, other schemes' file numbers vary. */
const ALLOCATAIRE_PATTERN = `${NUMBER_START}\\d{6,13}${WORD_END}`;

/** CAF allocataire numbers and CPAM / MSA file numbers, only when a context phrase introduces them. */
export function detectNumeroAllocataire(text: string): PiiCandidate[] {
  return [...text.matchAll(new RegExp(ALLOCATAIRE_PATTERN, 'gu'))]
    .filter((match) => hasContextBefore(text, match.index, ALLOCATAIRE_CONTEXT))
    .map((match) =>
      matchCandidate('numero-allocataire', text, match, PII_PRIORITY['numero-allocataire'] + PII_PRIORITY.contextBonus),
    );
}

// ——— Date of birth ———

/** French month names, full and abbreviated, with or without accents. */
const MONTH =
  '(?:janvier|janv\\.?|f[ée]vrier|f[ée]vr?\\.?|mars|avril|avr\\.?|mai|juin|juillet|juil\\.?|ao[uû]t|' +
  'septembre|sept?\\.?|octobre|oct\\.?|novembre|nov\\.?|d[ée]cembre|d[ée]c\\.?)';

/**
 * A date as written in a file: « 03/05/1985 », « 3-5-85 », « 3.05.1985 » (one separator throughout), « 1er mars
 * 1985 », « mars 1985 », or a year alone (« né en 1985 »). Whether it is a birth date is decided by the context.
 */
const DATE_PATTERN =
  `${NUMBER_START}(?:(?:0?[1-9]|[12]\\d|3[01])([/.\\-])(?:0?[1-9]|1[0-2])\\1(?:\\d{4}|\\d{2})|` +
  `(?:(?:1er|0?[1-9]|[12]\\d|3[01])${BLANK}+)?${MONTH}${BLANK}+(?:19|20)\\d{2}|(?:19|20)\\d{2})${NUMBER_END}`;

/** Phrases that make a date a birth date: « né(e) le », « née à Lyon le », « date de naissance », « DDN »… */
const BIRTH_CONTEXT = new RegExp(
  "(?:(?<!\\p{L})(?:née?s?|né\\(e\\)|nee)(?![\\p{L}])|date\\s+de\\s+naiss(?:ance|\\.)?|(?<!\\p{L})DDN(?!\\p{L})|" +
    `naissance\\s*(?::|le(?!\\p{L})|en(?!\\p{L})))${LOOSE_GAP}`,
  'iu',
);

/** Dates introduced as birth dates; a plain date (a deadline, a decree) is not personal data. */
export function detectDateNaissance(text: string): PiiCandidate[] {
  return [...text.matchAll(new RegExp(DATE_PATTERN, 'giu'))]
    .filter((match) => hasContextBefore(text, match.index, BIRTH_CONTEXT))
    .map((match) => matchCandidate('date-naissance', text, match, PII_PRIORITY['date-naissance']));
}
