import { z } from 'zod';
import type { EvalAnswer } from '../../eval/evalAnswer.js';
import { stream } from '../method.js';
import { audiencesSchema, pathSchema, type StatusEvent } from './common.js';

const evalAnswerParams = z.object({
  question: z.string().min(1).max(20_000),
  /**
   * The GGUF chat model: loaded first (with the device settings) unless it is the one loaded. Absent: the model the
   * settings name — the shared server when `runtime.remote.url` is set.
   */
  modelPath: pathSchema.optional(),
  k: z.number().int().min(1).max(10).optional(),
  maxTokens: z.number().int().min(16).max(4096).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  audiences: audiencesSchema,
});

/** The evaluation protocol (`guichet eval`): one question at a time, so that the shell can show progress and resume. */
export const EVAL_METHODS = {
  /**
   * Answers one question as `ask` does, without writing the history, and measures it: extracts given, timings,
   * the engine's CPU time, peak memory and RAPL energy. A cancel ends it with `stopReason: 'aborted'`.
   */
  'eval.answer': stream(evalAnswerParams).returns<EvalAnswer, StatusEvent>(),
};
