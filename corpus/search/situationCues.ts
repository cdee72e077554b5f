import { fold } from './frenchText.js';

/**
 * Facts a question states about the person, on which service-public.fr splits its fiches: the same démarche has a
 * fiche for a minor and one for an adult (« Carte d'identité d'un majeur : en cas de vol »), one for private-sector
 * employees and one for public servants (« Un agent public peut-il percevoir l'allocation chômage… »). Full-text
 * scores barely tell them apart; the question usually does.
 */
export interface SituationCues {
  /** From « majeur », « adulte », « mineur », or an age (« 23 ans »); absent when unsaid or contradictory. */
  ageGroup?: 'majeur' | 'mineur';
  /** The question names the public sector (fonctionnaire, agent public, militaire…). */
  publicSector: boolean;
  /** The question names a stay or a move abroad, or a foreign country (« à l'étranger », « au Portugal »). */
  abroad: boolean;
}

const ADULT_WORDS = /\b(majeure?s?|adultes?)\b/;
const MINOR_WORDS = /\b(mineure?s?|bebes?|ados?|adolescente?s?)\b/;
const AGE = /\b(\d{1,3}) ?ans?\b/;
const PUBLIC_SECTOR = /\b(fonctionnaires?|fonction publique|agents? publics?|militaires?|contractuels? de l'etat|titulaires? de la fonction|hospitaliers?|territoria(l|ux|le|les))\b/;
// « étranger » in any sense (abroad, or a foreign national): a question that says it keeps the fiches about abroad.
const ABROAD = /\b(etrangers?|etrangeres?|expatrie(e|s|es)?|expatriation|hors de france|pays|international(e|es|aux)?|europe(en|enne|ens|ennes)?|belgique|suisse|luxembourg|allemagne|espagne|portugal|italie|royaume[ -]uni|angleterre|irlande|pays[ -]bas|pologne|roumanie|maroc|algerie|tunisie|senegal|canada|quebec|etats[ -]unis|usa|chine|japon|australie|bresil)\b/;
const ABROAD_TITLE = /\b(a l['’]etranger|hors de france|expatrie(e|s|es)?)\b/;
const PUBLIC_SECTOR_TITLE = /\b(fonctionnaires?|fonction publique|agents? publics?|militaires?)\b/;

export function situationCues(question: string): SituationCues {
  const text = fold(question);
  const age = AGE.exec(text);
  const byAge = age ? (Number(age[1]) >= 18 ? 'majeur' : 'mineur') : undefined;
  const byWord = ADULT_WORDS.test(text) && !MINOR_WORDS.test(text) ? 'majeur' : MINOR_WORDS.test(text) && !ADULT_WORDS.test(text) ? 'mineur' : undefined;
  const ageGroup = byAge ?? byWord;
  return { ...(ageGroup ? { ageGroup } : {}), publicSector: PUBLIC_SECTOR.test(text), abroad: ABROAD.test(text) };
}

/**
 * 1 when a title is about another situation than the one the question states (a minor's fiche for an adult, a
 * public servant's fiche for someone who did not say so), else 0. The private sector is the default reading.
 */
export function situationMismatch(title: string, cues: SituationCues): number {
  const text = fold(title);
  const minor = /\bmineurs?\b/.test(text);
  const adult = /\bmajeurs?\b/.test(text);
  if (cues.ageGroup === 'majeur' && minor && !adult) return 1;
  if (cues.ageGroup === 'mineur' && adult && !minor) return 1;
  // « salarié ou fonctionnaire » covers both: only a title about the public sector alone is set aside.
  if (!cues.publicSector && PUBLIC_SECTOR_TITLE.test(text) && !/\b(salaries?|secteur prive)\b/.test(text)) return 1;
  if (!cues.abroad && ABROAD_TITLE.test(text)) return 1;
  return 0;
}
