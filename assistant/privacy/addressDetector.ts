/**
 * Postal addresses: « 12 bis, rue de la Paix 75002 Paris », « 3 place du Général de Gaulle », « 5 av. Jean Jaurès,
 * 69007 Lyon », « lieu-dit Les Granges », and « CS 12345 » / « BP 123 » post boxes.
 *
 * A regex finds the anchor (number + street type); a small walker then reads the street name word by word, because
 * where a street name ends (« 3 rue de la paix et je voudrais… ») is a matter of capitals and particles that a single
 * regex would express badly.
 */
import { fold } from '../../corpus/search/frenchText.js';
import { PII_PRIORITY, type PiiCandidate } from './piiMatch.js';
import { BLANK, NUMBER_END, NUMBER_START, WORD_START, candidate } from './piiText.js';

/** Street types unambiguous after a number: the street name may be typed in lower case (« 3 rue de la gare »). */
const STRONG_TYPES = [
  'rue', 'avenue', 'av\\.?', 'boulevard', 'bd\\.?', 'bld\\.?', 'blvd\\.?', 'impasse', 'imp\\.', 'lieu-dit',
  'lieudit', 'faubourg', 'fbg\\.?', 'lotissement', 'rond-point', 'ruelle', 'venelle',
];

/**
 * Street types that are also common nouns after a number (« 1 place de parking », « 2 cours de français »): the
 * street name must start with a capital or a digit.
 */
const WEAK_TYPES = [
  'chemin', 'ch\\.', 'allée', 'allee', 'place', 'pl\\.', 'route', 'rte\\.?', 'quai', 'cours', 'résidence',
  'residence', 'rés\\.', 'bâtiment', 'batiment', 'bât\\.?', 'bat\\.', 'square', 'sq\\.', 'passage', 'cité',
  'hameau', 'sentier', 'villa', 'voie', 'esplanade', 'promenade', 'mail', 'parvis', 'montée', 'traverse', 'clos',
  'domaine', 'zone',
];

/** Whether a matched street type is one of {@link STRONG_TYPES}. */
const STRONG_TYPE = new RegExp(`^(?:${STRONG_TYPES.join('|')})$`, 'iu');

/** Street number (with « bis », « ter », or a letter: « 12B »), optional comma, the street type in group `type`. */
const STREET_ANCHOR =
  `${NUMBER_START}\\d{1,4}(?:${BLANK}?(?:bis|ter|quater)|${BLANK}?[a-d])?,?${BLANK}+` +
  `(?<type>${[...STRONG_TYPES, ...WEAK_TYPES].join('|')})(?![\\p{L}])`;

/** « lieu-dit » is an address even without a number. */
const LIEU_DIT_ANCHOR = `${WORD_START}lieu-?dit(?![\\p{L}])`;

/** One word of a street or town name, after blanks; an elided article (« l'Église », « d'Alsace ») is kept apart. */
const NAME_TOKEN = `${BLANK}+(?<elision>[dl]['’])?(?<word>\\p{L}[\\p{L}'’\\-]*|\\d{1,4}(?![\\p{N}]))`;

/** Postcode after the street: optional comma or line break, optional post box, 5 digits (or « 75 002 »). */
const POSTCODE =
  `${BLANK}*(?:(?:,|\\r?\\n)${BLANK}*)?(?:(?:CS|BP|TSA)${BLANK}?\\d{2,5}${BLANK}*,?${BLANK}*)?` +
  '(?:\\d{5}|\\d{2} \\d{3})(?![\\p{N}])';

/** A post box alone: « CS 12345 », « BP 123 » (upper case, as printed on letters). */
const POST_BOX = `${WORD_START}(?:CS|BP)${BLANK}?\\d{2,5}${NUMBER_END}`;

/** Small words inside street and town names (folded): they never start or end a name. */
const PARTICLES = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'a', 'au', 'aux', 'en', 'sur', 'sous', 'et']);

/** Month names, which follow a digit in streets named after a date (« rue du 8 mai 1945 »). */
const MONTHS = new Set([
  'janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre',
  'decembre',
]);

type Token = 'particle' | 'digits' | 'month' | 'word';

/**
 * Reads a street or town name from `from` and returns where it ends (`from` when there is none). A lower-case word
 * is accepted only first (`lowerHead`, for unambiguous street types) or as a month after a digit; particles are kept
 * only between name words; at most `maxWords` words.
 */
function readName(text: string, from: number, options: { lowerHead: boolean; maxWords: number; town?: boolean }): number {
  const token = new RegExp(NAME_TOKEN, 'uy');
  let position = from;
  let end = from;
  let words = 0;
  let previous: Token | undefined;
  let previousWord = '';
  while (words < options.maxWords) {
    token.lastIndex = position;
    const match = token.exec(text);
    const word = match?.groups?.['word'];
    if (!match || word === undefined) break;
    const folded = fold(word);
    const elided = match.groups?.['elision'] !== undefined;
    let kind: Token | undefined;
    if (!elided && PARTICLES.has(folded)) kind = 'particle';
    else if (/^\d/.test(word)) {
      // Digits: « rue du 8 Mai 1945 » in a street; « Cedex 08 » in a town.
      const allowed = options.town ? previousWord === 'cedex' : words === 0 || previous === 'month';
      if (allowed) kind = 'digits';
    } else if (/^\p{Lu}/u.test(word)) kind = MONTHS.has(folded) ? 'month' : 'word';
    else if (previous === 'digits' && MONTHS.has(folded)) kind = 'month';
    else if (words === 0 && options.lowerHead) kind = 'word';
    if (kind === undefined) break;
    position = match.index + match[0].length;
    previous = kind;
    previousWord = folded;
    if (kind !== 'particle') {
      end = position;
      words += 1;
    }
  }
  return end;
}

/** Extends an address ending at `from` with its postcode and town, if they follow. */
function readPostcodeAndTown(text: string, from: number): number {
  const postcode = new RegExp(POSTCODE, 'uy');
  postcode.lastIndex = from;
  if (!postcode.exec(text)) return from;
  return readName(text, postcode.lastIndex, { lowerHead: false, maxWords: 5, town: true });
}

/** Postal addresses: number + street type + name (+ postcode and town), lieux-dits, post boxes. */
export function detectAdresse(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(new RegExp(STREET_ANCHOR, 'giu'))) {
    const strong = STRONG_TYPE.test(match.groups?.['type'] ?? '');
    const anchorEnd = match.index + match[0].length;
    const nameEnd = readName(text, anchorEnd, { lowerHead: strong, maxWords: 6 });
    if (nameEnd === anchorEnd) continue;
    found.push(candidate('adresse', text, match.index, readPostcodeAndTown(text, nameEnd), PII_PRIORITY.adresse));
  }
  for (const match of text.matchAll(new RegExp(LIEU_DIT_ANCHOR, 'giu'))) {
    const anchorEnd = match.index + match[0].length;
    const nameEnd = readName(text, anchorEnd, { lowerHead: false, maxWords: 4 });
    if (nameEnd === anchorEnd) continue;
    found.push(candidate('adresse', text, match.index, readPostcodeAndTown(text, nameEnd), PII_PRIORITY.adresse));
  }
  for (const match of text.matchAll(new RegExp(POST_BOX, 'gu'))) {
    const end = readPostcodeAndTown(text, match.index + match[0].length);
    found.push(candidate('adresse', text, match.index, end, PII_PRIORITY.adresse));
  }
  return found;
}
