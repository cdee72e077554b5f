import { RRF_K } from './fusion.js';
import { GUIDE_WEIGHT } from './guideBoost.js';

/** The weights of the query's added words, of rank fusion and of the re-rank that follows it (`FicheSearch`), as data: fitted, not hand-set. */
export interface RerankWeights {
  /** Rank constant of reciprocal rank fusion (see fusion.ts). */
  fusionK: number;
  /** A title naming the question's subject (titleMatch, 0–1,25). */
  title: number;
  /** A text that mentions the question's concepts (share mentioned, 0–1). */
  coverage: number;
  /** The fiche the others point to (prior, 0–1). */
  prior: number;
  /** A fiche of the audience the question names. */
  audience: number;
  /** A title about another situation than the one stated (subtracted). */
  mismatch: number;
  /** A guide pointing to the whole head of a long situation (see guideBoost.ts). */
  guides: number;
  /** A word the hand-written vocabulary adds (acronyms, everyday words), against the question's own words' 1. */
  handExpansion: number;
  /** A word the learnt vocabulary adds (learnedVocabulary.ts), against the question's own words' 1. */
  learnedExpansion: number;
}

/**
 * On the scale of a first rank in one retriever (1 / 5,284 ≈ 0,189 with a fusion constant of 4,284). Fitted together
 * by coordinate ascent on recall@1 + recall@5 + MRR of the thirty tuning sets (1 847 questions), each set searched
 * with the vocabulary learnt from the others, not with the shipped one learnt from its own questions, once the fiches
 * had their phrasings (docs/recherche.md, « Poids du reclassement »; `npm run eval:poids` fits them again): a title
 * naming the subject counts like one first rank and a half, a text that mentions every concept of the question like
 * two and a half; the audience the question names and a title about another situation than the one stated (a minor's
 * fiche for an adult) are close calls; a word the hand-written vocabulary adds counts a third of a word of the
 * question, a learnt one 0,85. The fit dropped the most pointed-to fiche's prior, as it did before the phrasings:
 * on the eight sets whose gold fiches were drawn from the whole corpus, 0,05 costs 1,7 point of recall@1. At 0 no
 * factor of the fit moves it: to try it again, start the fit from a prior above 0.
 */
export const RERANK_WEIGHTS: Readonly<RerankWeights> = {
  fusionK: RRF_K,
  title: 0.262,
  coverage: 0.446,
  prior: 0,
  audience: 0.067,
  mismatch: 0.079,
  guides: GUIDE_WEIGHT,
  handExpansion: 0.35,
  learnedExpansion: 0.85,
};
