/** Lexical comparison of testimonies and replies: folded content words, compared by Jaccard overlap. */
import { fold, roughStem, tokenize } from '../../corpus/search/frenchText.js';

/**
 * French function words, and the courtesy words every testimony and reply carries (« bonjour », « madame »): they
 * would make any two texts look alike.
 */
const STOP_WORDS = new Set(
  (
    'a au aux avec ce ces cet cette ceci cela ca dans de des du elle elles en et eu etre est etait ete il ils je j la le les ' +
    'leur leurs lui ma mais me meme mes moi mon ne ni nos notre nous on ou par pas plus pour qu que qui sa se ses si son ' +
    'sur ta te tes toi ton tu un une vos votre vous y ai as avons avez ont suis es sommes etes sont fait faire avoir ' +
    'tres bien aussi alors donc car comme tout tous toute toutes sans sous entre vers chez deja encore apres avant ' +
    'lors quand comment pourquoi quel quelle quels quelles dont cet ici ceux celle celles celui rien peu beaucoup ' +
    'bonjour bonsoir merci madame monsieur mme mr cordialement salutations remercie remercions votre vos service'
  ).split(/\s+/),
);

/** Content words of a text, accents folded, stop words dropped, roughly stemmed: « Les délais de la CAF » → {delai, caf}. */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const token of tokenize(text)) {
    if (token.length < 2 && !/\d/.test(token)) continue;
    if (STOP_WORDS.has(token)) continue;
    words.add(roughStem(token));
  }
  return words;
}

/** Shared words over all words, 0–1; two empty sets are not similar (0). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/** Lower case, accents folded, blanks collapsed: for matching an institution name or a search in the list. */
export function normalizeText(text: string): string {
  return fold(text).replace(/\s+/g, ' ').trim();
}
