import { percentile } from '../knowledge/retrievalEval.js';
import type { EnergySource, EvalRecord } from './evalRecord.js';
import type { EvalQuestion } from './questionSet.js';

/** Median and 95th percentile of a figure. */
export interface Spread {
  p50: number;
  p95: number;
}

/** A model's figures over the question set. Shares are 0–1; `null` when no question of the set lets it be measured. */
export interface ModelSummary {
  answered: number;
  /** Drafts written by the model (others fell back to search only: the model failed). */
  drafted: number;
  /** Valid `[n]` marks over all marks of all drafts; `null` when no draft cites. */
  citationValidity: number | null;
  /** Of the questions with gold fiches, drafts citing at least one of them. */
  citesGold: number | null;
  /** Drafts with no citation mark at all. */
  noCitation: number | null;
  /** Of the out-of-scope questions, drafts saying the fiches do not answer. */
  outOfScopeDeclined: number | null;
  /** Of the other questions, drafts wrongly saying the fiches do not answer. */
  inScopeDeclined: number | null;
  /** Expected facts found over all facts expected. */
  factsFound: number | null;
  answerWords: Spread;
  answerChars: Spread;
  searchMs: Spread;
  promptReadMs: Spread | null;
  firstTokenMs: Spread | null;
  ttftMs: Spread | null;
  totalMs: Spread;
  promptTokens: Spread;
  writingTokensPerSecond: Spread;
  readingTokensPerSecond: Spread | null;
  energyJoules: Spread & { mean: number; source: EnergySource };
  peakRssBytes: number;
}

/** Sums up a model's records, each matched to its question. */
export function summariseModel(records: readonly EvalRecord[], questions: readonly EvalQuestion[]): ModelSummary {
  const questionOf = new Map(questions.map((q) => [q.id, q]));
  const drafts = records.filter((r) => r.mode === 'model');
  const share = (items: readonly EvalRecord[], test: (r: EvalRecord) => boolean) => (items.length ? items.filter(test).length / items.length : null);
  const marks = sum(drafts, (r) => r.score.marks);
  const withGold = drafts.filter((r) => (questionOf.get(r.questionId)?.gold.length ?? 0) > 0);
  const outOfScope = drafts.filter((r) => questionOf.get(r.questionId)?.outOfScope === true);
  const inScope = drafts.filter((r) => questionOf.get(r.questionId)?.outOfScope !== true);
  const factsExpected = sum(drafts, (r) => r.score.facts.expected);
  const energySources = new Set(records.map((r) => r.energy.source));
  return {
    answered: records.length,
    drafted: drafts.length,
    citationValidity: marks > 0 ? sum(drafts, (r) => r.score.validMarks) / marks : null,
    citesGold: share(withGold, (r) => r.score.citesGold === true),
    noCitation: share(drafts, (r) => r.score.marks === 0),
    outOfScopeDeclined: share(outOfScope, (r) => r.score.declines),
    inScopeDeclined: share(inScope, (r) => r.score.declines),
    factsFound: factsExpected > 0 ? sum(drafts, (r) => r.score.facts.found.length) / factsExpected : null,
    answerWords: spread(drafts.map((r) => r.score.words)),
    answerChars: spread(drafts.map((r) => r.score.chars)),
    searchMs: spread(records.map((r) => r.timings.searchMs)),
    promptReadMs: optionalSpread(drafts.map((r) => r.timings.promptReadMs)),
    firstTokenMs: optionalSpread(drafts.map((r) => r.timings.firstTokenMs)),
    ttftMs: optionalSpread(drafts.map((r) => r.timings.ttftMs)),
    totalMs: spread(records.map((r) => r.timings.totalMs)),
    promptTokens: spread(drafts.map((r) => r.tokens.prompt)),
    writingTokensPerSecond: spread(drafts.map((r) => r.writingTokensPerSecond)),
    readingTokensPerSecond: optionalSpread(drafts.map((r) => r.readingTokensPerSecond)),
    energyJoules: {
      ...spread(records.map((r) => r.energy.joules)),
      mean: records.length ? sum(records, (r) => r.energy.joules) / records.length : 0,
      // One estimated answer makes the whole figure an estimate.
      source: energySources.has('estimation') ? 'estimation' : 'rapl',
    },
    peakRssBytes: Math.max(0, ...records.map((r) => r.maxRssBytes)),
  };
}

function sum(records: readonly EvalRecord[], value: (r: EvalRecord) => number): number {
  return records.reduce((total, r) => total + value(r), 0);
}

function spread(values: readonly number[]): Spread {
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}

function optionalSpread(values: readonly (number | null)[]): Spread | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? spread(present) : null;
}
