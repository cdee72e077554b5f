import { z } from 'zod';
import type { AskAnswer, AskEvent } from '../../ask/askTypes.js';
import type { AskPreparation, PrepareEvent } from '../../ask/readAheadTypes.js';
import type { FeedbackEntry, FeedbackStats } from '../../feedback/feedbackStats.js';
import type { Conversation, ConversationSummary } from '../../history/conversationTypes.js';
import { call, stream } from '../method.js';
import { audiencesSchema, idParams, modelPathSchema } from './common.js';

const ficheIds = z.array(z.string().min(1).max(40)).max(20).optional();

/** A question asked by the agent. Validated before anything is searched or written. */
export const askParams = z.object({
  question: z.string().max(200_000).refine((text) => text.trim().length > 0, { message: 'La question est vide.' }),
  /** Continue this conversation (follow-ups are searched with the previous subject). */
  conversationId: z.string().min(1).max(100).optional(),
  /** `false`: search only, even when a model is installed. Default: use the model. */
  useModel: z.boolean().optional(),
  /** Load this GGUF chat model first if it is not the one loaded (default: `runtime.modelPath`, else the newest installed). */
  modelPath: modelPathSchema,
  /** Fiches searched. Default 5. */
  k: z.number().int().min(1).max(10).optional(),
  audiences: audiencesSchema,
  pinned: ficheIds,
  excluded: ficheIds,
  /** Tokens of answer at most. Default 600. */
  maxTokens: z.number().int().min(16).max(4096).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  /**
   * Set by the host only: the engine stopped while writing this question's draft; answer from search alone and keep
   * the text received so far with it.
   */
  interruptedDraft: z.object({ text: z.string().max(400_000), message: z.string().min(1).max(1_000) }).optional(),
});

/**
 * The question as the agent is typing it: the fiches it would be answered from and, with `read`, a speculative reading
 * of the prompt's beginning (system prompt and extracts) into the loaded model's context. Never loads a model; off
 * with `runtime.readAhead` false, on battery, or without a loaded model; yields to any real request.
 */
export const prepareParams = askParams.pick({ question: true, conversationId: true, useModel: true, modelPath: true, k: true, audiences: true, pinned: true, excluded: true }).extend({
  /** Read the prompt's beginning into the model's context (the extracts stayed the same for a moment). Default `false`: the fiches only. */
  read: z.boolean().optional(),
});

const feedbackParams = z.object({
  conversationId: z.string().max(100),
  messageId: z.string().max(100),
  verdict: z.enum(['used-as-is', 'edited', 'discarded']),
  secondsToCopy: z.number().nonnegative().max(86_400).optional(),
  comment: z.string().max(2_000).optional(),
});

/** The agent's use cases: questions, conversations, feedback. */
export const ASSISTANT_METHODS = {
  ask: stream(askParams).returns<AskAnswer, AskEvent>(),
  'question.prepare': stream(prepareParams).returns<AskPreparation, PrepareEvent>(),
  'conversations.list': call(
    z.object({ limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).optional(),
  ).returns<{ total: number; conversations: ConversationSummary[] }>(),
  'conversations.get': call(idParams).returns<Conversation>(),
  'conversations.delete': call(idParams).returns<null>(),
  'conversations.export': call(idParams.extend({ format: z.enum(['markdown', 'json']) })).returns<string>(),
  'feedback.record': call(feedbackParams).returns<FeedbackEntry>(),
  'feedback.stats': call(z.object({ since: z.string().datetime().optional() }).optional()).returns<FeedbackStats>(),
};
