/** Questions and their feedback: the only way components reach `ask` and `feedback.*`. */
import type { AskEvent, AskRequest, FeedbackInput, FeedbackStats } from '../../../../assistant/api.js';
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
