import type { AnswerScore } from './answerMetrics.js';
import { scoreAnswer } from './answerMetrics.js';
import type { EvalAnswer } from './evalAnswer.js';
import type { EvalQuestion } from './questionSet.js';

/** How the energy of an answer was obtained. */
export type EnergySource = 'rapl' | 'estimation';

/** One question answered by one model, as kept in the journal and in `results.json`. */
export interface EvalRecord {
  questionId: string;
  mode: EvalAnswer['mode'];
  stopReason: EvalAnswer['stopReason'];
  answer: string;
  /** Extracts the prompt gave. */
  extracts: number;
  score: AnswerScore;
  timings: {
    searchMs: number;
    /** Reading (evaluating) the prompt, ms; `null` when not measured apart. */
    promptReadMs: number | null;
    /** The first token's own time, after search and prompt reading, ms. */
    firstTokenMs: number | null;
    /** Question → first token: search + prompt reading + first token, ms. */
    ttftMs: number | null;
    totalMs: number;
  };
  tokens: { prompt: number; evaluatedPrompt: number; completion: number };
  /** Tokens written per second (after the first). */
  writingTokensPerSecond: number;
  /** Prompt tokens read per second; `null` when the reading was not measured apart. */
  readingTokensPerSecond: number | null;
  energy: { joules: number; source: EnergySource };
  cpuMs: number;
  maxRssBytes: number;
  warnings: string[];
}

/** How energy is estimated without RAPL counters: the processor's power under load, shared by its logical cores. */
export interface EnergyEstimate {
  /** Power of the whole processor under load, watts (`--watts`; default 15, a laptop processor). */
  processorWatts: number;
  logicalCores: number;
}

/** Energy of CPU time at the configured processor power: `cpu seconds × watts / logical cores`, joules. */
export function estimatedJoules(cpuMs: number, estimate: EnergyEstimate): number {
  return (cpuMs / 1000) * (estimate.processorWatts / Math.max(1, estimate.logicalCores));
}

/** Turns the engine's answer into the record of the question: scores, timings split, energy measured or estimated. */
export function recordOf(question: EvalQuestion, answer: EvalAnswer, estimate: EnergyEstimate): EvalRecord {
  const { stats } = answer;
  const promptReadMs = stats.promptReadMs ?? null;
  const firstTokenMs = stats.ttftMs === null ? null : Math.max(0, stats.ttftMs - stats.searchMs - (promptReadMs ?? 0));
  return {
    questionId: question.id,
    mode: answer.mode,
    stopReason: answer.stopReason,
    answer: answer.answer,
    extracts: answer.extracts.length,
    score: scoreAnswer(question, answer.mode === 'model' ? answer.answer : '', answer.extracts),
    timings: { searchMs: stats.searchMs, promptReadMs, firstTokenMs, ttftMs: stats.ttftMs, totalMs: stats.totalMs },
    tokens: { prompt: stats.promptTokens, evaluatedPrompt: stats.evaluatedPromptTokens, completion: stats.completionTokens ?? 0 },
    writingTokensPerSecond: stats.tokensPerSecond,
    readingTokensPerSecond: promptReadMs && promptReadMs > 0 && stats.evaluatedPromptTokens > 0 ? (stats.evaluatedPromptTokens * 1000) / promptReadMs : null,
    energy:
      answer.engine.raplJoules !== null
        ? { joules: answer.engine.raplJoules, source: 'rapl' }
        : { joules: estimatedJoules(answer.engine.cpuMs, estimate), source: 'estimation' },
    cpuMs: answer.engine.cpuMs,
    maxRssBytes: answer.engine.maxRssBytes,
    warnings: answer.warnings,
  };
}
