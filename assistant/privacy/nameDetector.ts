/**
 * Names of people, recognised by the civility in front of them: « Mme Dupont », « M. Jean-Pierre MARTIN »,
 * « Maître de La Fontaine ». Only the name is matched; the civility stays, so a masked text still reads
 * « Madame [NOM] ». A civility alone, or followed by a title (« Madame la Maire », « Monsieur le Préfet »), is not
 * a name.
 */
import { fold } from '../../corpus/search/frenchText.js';
import { PII_PRIORITY, type PiiCandidate } from './piiMatch.js';
import { BLANK, WORD_START, candidate } from './piiText.js';

/**
 * Civilities, as written in files and e-mails. Abbreviations take an optional dot (« Mme » and « Mme. »); « M »
 * needs its dot, since a lone capital M is too common (« 10 M€ », « type M »). Full words take either case at the
 * start (« le docteur Martin »). Without a dot, a blank must follow (« Mesdames » is not « Me »).
 */
const CIVILITY =
  '(?:M\\.|(?:Mr|Mme|Mlle|Me|Dr)\\.|' +
  `(?:Mr|Mme|Mlle|Me|Dr|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|[Mm]a[îi]tre|[Dd]octeur)(?=${BLANK}))`;

/** A capitalised word of two letters or more, upper-case surnames and hyphenated parts included (« Le-Goff »). */
const NAME_WORD = "\\p{Lu}[\\p{L}'’]*\\p{L}(?:-[\\p{L}'’]+)*";

/** Nobiliary particles and articles inside names: « de », « du », « de la », « van der », « d' »… */
const PARTICLE = `(?:(?:de|du|des|van|von|der|den|di|da|del|della|le|la)${BLANK}+|d['’]|l['’])`;

/** First-name initials before the surname: « M. J. Dupont », « Mme J.-P. Martin ». */
const INITIALS = `\\p{Lu}\\.(?:-?\\p{Lu}\\.)?${BLANK}*`;

/**
 * One to three capitalised words, each with optional particles, after optional initials. Three, not two: « Mohamed
 * Ben Ali », « Marie Dupont Martin » would otherwise leave their last word in clear.
 */
const NAME = `(?:${INITIALS})?${PARTICLE}{0,2}${NAME_WORD}(?:${BLANK}+${PARTICLE}{0,2}${NAME_WORD}){0,2}`;

/** A civility, blanks, then the name in group `name`. The name must not run on into another word. */
const CIVILITY_NAME = `${WORD_START}${CIVILITY}${BLANK}*(?<name>${NAME})(?![\\p{L}\\p{N}'’\\-])`;

/**
 * Capitalised words that follow a civility without being a name (folded): titles and offices, other civilities (the
 * « Madame, Monsieur » of a letter), organisations, and sentence words. As the first word they void the match; as
 * a later one, the name stops before them.
 */
const NOT_A_NAME = new Set([
  // Titles and offices.
  'maire', 'adjoint', 'adjointe', 'prefet', 'prefete', 'sous-prefet', 'sous-prefete', 'president', 'presidente',
  'directeur', 'directrice', 'ministre', 'juge', 'procureur', 'procureure', 'secretaire', 'conseiller', 'conseillere',
  'depute', 'deputee', 'senateur', 'senatrice', 'recteur', 'rectrice', 'commissaire', 'agent', 'agente', 'chef',
  'responsable', 'docteur', 'maitre', 'defenseur', 'defenseure', 'mediateur', 'mediatrice', 'inspecteur',
  'inspectrice', 'controleur', 'controleuse', 'gestionnaire', 'delegue', 'deleguee', 'notaire', 'avocat', 'avocate',
  'huissier', 'commandant', 'capitaine', 'lieutenant', 'colonel', 'general', 'professeur', 'abbe', 'cure', 'pasteur',
  'administrateur', 'administratrice', 'consul', 'ambassadeur', 'ambassadrice', 'batonnier', 'doyen',
  // Civilities.
  'monsieur', 'madame', 'mademoiselle', 'messieurs', 'mesdames', 'mesdemoiselles',
  // Organisations an agent writes after a civility by mistake of punctuation.
  'caf', 'cpam', 'msa', 'urssaf', 'mairie', 'prefecture', 'administration', 'service', 'services',
  // Sentence words that can follow a civility in a run-on sentence.
  'je', 'il', 'elle', 'nous', 'vous', 'ils', 'elles', 'on', 'bonjour', 'bonsoir', 'merci', 'cordialement', 'voici',
  'votre', 'cher', 'chere',
]);

/** Articles opening a title rather than a name: « M. le préfet », « Madame la Directrice ». */
const TITLE_ARTICLE = /^(?:le|la|les|l['’])(?![\p{L}])/u;

/** Capitalised particles, a name only with a word after them (« Le Goff », not « Madame La [Directrice] »). */
const CAPITALISED_PARTICLES = new Set(['le', 'la', 'les', 'de', 'du', 'des', 'van', 'von', 'der', 'den', 'di', 'da']);

/**
 * How much of `name` (the text after a civility) is a name: 0 when it starts with a title or a sentence word, else
 * the words before the first excluded one (« M. Dupont CAF » → « Dupont »).
 */
function acceptedNameLength(name: string): number {
  if (TITLE_ARTICLE.test(name)) return 0;
  let end = 0;
  let hasSurname = false;
  for (const word of name.matchAll(new RegExp(NAME_WORD, 'gu'))) {
    const folded = fold(word[0]);
    if (NOT_A_NAME.has(folded)) break;
    end = word.index + word[0].length;
    hasSurname ||= !CAPITALISED_PARTICLES.has(folded);
  }
  return hasSurname ? end : 0;
}

/** Names after a civility (M., Mr, Monsieur, Mme, Madame, Mlle, Mademoiselle, Me, Maître, Dr, docteur). */
export function detectNom(text: string): PiiCandidate[] {
  const found: PiiCandidate[] = [];
  for (const match of text.matchAll(new RegExp(CIVILITY_NAME, 'gdu'))) {
    const span = match.indices?.groups?.['name'];
    const name = match.groups?.['name'];
    if (!span || name === undefined) continue;
    const length = acceptedNameLength(name);
    if (length > 0) found.push(candidate('nom', text, span[0], span[0] + length, PII_PRIORITY.nom));
  }
  return found;
}
