/**
 * Which sentences of a fiche's passage an answer relies on. The contract maps each `[n]` to its extract; inside the
 * extract, the sentences shown highlighted are those sharing most of their content words with the answer's sentences
 * that cite `[n]` (a lexical match: the model paraphrases, it rarely invents vocabulary).
 */

export interface Segment {
  text: string;
  marked: boolean;
}

const STOP_WORDS = new Set(
  'avec dans pour par sur sous sans vous votre vos nous notre nos leur leurs elle elles ils est sont être avoir peut peuvent doit doivent faut cette ces ceux celle celui dont mais donc comme plus moins tout tous toute toutes aussi même très entre après avant lors alors ainsi encore être fait faire selon auprès chez quand'.split(' '),
);

/** Lower-cased, accent-free content words (4 letters or more, or numbers). */
export function contentWords(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => (word.length >= 4 || /^\d+$/.test(word)) && !STOP_WORDS.has(word));
  return new Set(words);
}

/** Sentences and list items of a text, blanks kept with the sentence before them. */
export function splitSentences(text: string): string[] {
  const pieces = text.split(/(?<=[.!?…:;])(\s+)(?=\S)|(\n+)/);
  const sentences: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (piece === undefined) continue;
    current += piece;
    if (/^\s+$/.test(piece)) {
      sentences.push(current);
      current = '';
    }
  }
  if (current) sentences.push(current);
  return sentences.filter((sentence) => sentence !== '');
}

const CITATION = /\[(\d{1,2}(?:\s*[,;]\s*\d{1,2})*)\]/g;

/** The numbers cited by a `[1]`, `[1, 3]` or `[2; 4]` mark. */
export function citedNumbers(text: string): number[] {
  const numbers = new Set<number>();
  for (const match of text.matchAll(CITATION)) {
    for (const n of (match[1] ?? '').split(/[,;]/)) numbers.add(Number(n.trim()));
  }
  return [...numbers];
}

/** The answer's sentences that cite extract `n`, marks removed. */
export function sentencesCiting(answer: string, n: number): string[] {
  return splitSentences(answer)
    .filter((sentence) => citedNumbers(sentence).includes(n))
    .map((sentence) => sentence.replace(CITATION, '').trim());
}

/** Passage sentences whose content words are mostly found in one of the probes are marked. */
export function highlightPassage(passage: string, probes: readonly string[]): Segment[] {
  const probeWords = probes.map(contentWords).filter((words) => words.size > 0);
  return splitSentences(passage).map((sentence) => {
    const words = contentWords(sentence);
    const marked = probeWords.some((probe) => {
      let shared = 0;
      for (const word of words) if (probe.has(word)) shared += 1;
      return shared >= 2 && shared / Math.min(words.size, probe.size) >= 0.5;
    });
    return { text: sentence, marked };
  });
}

/** The words of a search query, marked wherever they appear in a passage. */
export function highlightWords(text: string, query: string): Segment[] {
  const wanted = contentWords(query);
  if (wanted.size === 0) return [{ text, marked: false }];
  const segments: Segment[] = [];
  for (const piece of text.split(/([\p{L}\p{N}]+)/u)) {
    if (piece === '') continue;
    const marked = wanted.has([...contentWords(piece)][0] ?? '\u0000');
    const last = segments.at(-1);
    if (last && last.marked === marked) last.text += piece;
    else segments.push({ text: piece, marked });
  }
  return segments;
}

/** A passage's Markdown as reading text: list dashes, emphasis and table pipes removed. */
export function passageText(markdown: string): string {
  return markdown
    .replace(/^\s*[-*]\s+/gm, '• ')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/^\s*\|?\s*-{3,}.*$/gm, '')
    .replace(/\s*\|\s*/g, ' · ')
    .replace(/^>\s?/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
