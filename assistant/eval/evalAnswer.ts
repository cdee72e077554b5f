import type { AskStats } from '../ask/askTypes.js';
import type { GivenExtract } from './answerMetrics.js';

/** One question answered by the engine for an evaluation: the draft, what the model was given, and what it cost. */
export interface EvalAnswer {
  mode: 'model' | 'search-only';
  answer: string;
  stopReason: 'stop' | 'maxTokens' | 'aborted' | 'no-model';
  /** The extracts the prompt numbered, with their fiche. */
  extracts: GivenExtract[];
  /** Fiches whose extracts the model read, cited ones first. */
  retrieved: string[];
  stats: AskStats;
  /** The engine process's figures over this question. */
  engine: {
    /** CPU time the engine used (every thread), ms. */
    cpuMs: number;
    /** Energy of the processor packages from their RAPL counters, joules; `null` when not readable. */
    raplJoules: number | null;
    /** Peak resident memory of the engine since it started, bytes. */
    maxRssBytes: number;
    /** Wall time of the question in the engine, ms. */
    wallMs: number;
  };
  /** Codes of what failed on the way (`model-unavailable`, `generation-failed`…). */
  warnings: string[];
}
