/** Questions and their feedback: the only way components reach `ask` and `feedback.*`. */
import type { AskEvent, AskPreparation, AskRequest, FeedbackInput, FeedbackStats, PrepareEvent } from '../../../../assistant/api.js';

/** What the question being typed is prepared with. */
export type PrepareRequest = Pick<AskRequest, 'question' | 'conversationId' | 'useModel'> & { read?: boolean };
import type { AskResult, ContractStream } from '../api/client.js';
import { client } from './clientHolder.js';

export function startAsk(request: AskRequest): ContractStream<AskEvent, AskResult> {
  return client().ask(request);
}

export async function recordFeedback(input: FeedbackInput): Promise<void> {
  await client().feedback.record(input);
}

export function feedbackStats(since?: string): Promise<FeedbackStats> {
  return client().feedback.stats(since ? { since } : {});
}

/** The question as it is typed: the fiches it would use and, with `read`, the engine reads their extracts ahead. */
export function prepareQuestion(request: PrepareRequest): ContractStream<PrepareEvent, AskPreparation> {
  return client().question.prepare(request);
}
