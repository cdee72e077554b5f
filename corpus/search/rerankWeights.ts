import { RRF_K } from './fusion.js';
import { GUIDE_WEIGHT } from './guideBoost.js';

/** The weights of rank fusion and of the re-rank that follows it (`FicheSearch`), as data: fitted, not hand-set. */
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
}

/**
 * On the scale of a first rank in one retriever (1 / 11 ≈ 0,091 with a fusion constant of 10). Fitted together by
 * coordinate ascent on recall@1 + recall@5 + MRR of the twelve tuning sets (677 questions) and checked by leaving
 * each set out in turn (docs/recherche.md, « Poids du reclassement »; `npm run eval:poids` fits them again): a title
 * naming the subject counts like almost two first ranks, a text that mentions every concept of the question like
 * two, the most pointed-to fiche like one and a half (the general « RSA » before « RSA à l'étranger »); the audience
 * the question names and a title about another situation than the one stated (a minor's fiche for an adult) are
 * close calls.
 */
export const RERANK_WEIGHTS: Readonly<RerankWeights> = {
  fusionK: RRF_K,
  title: 0.153,
  coverage: 0.185,
  prior: 0.148,
  audience: 0.067,
  mismatch: 0.039,
  guides: GUIDE_WEIGHT,
};
