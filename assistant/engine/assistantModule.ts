import { z } from 'zod';
import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { AskService } from '../ask/askService.js';
import type { AskAnswer, AskEvent } from '../ask/askTypes.js';
import { type PreviousQuestion, searchQueryFor } from '../ask/followUp.js';
import type { FeedbackStore } from '../feedback/feedbackStore.js';
import type { ConversationStore } from '../history/conversationStore.js';
import { AUDIENCES, type Audience } from '../knowledge/knowledgeTypes.js';
import type { Settings } from '../settings/settingsSchema.js';
import type { AssistantContract, EngineModule } from '../contract/engineContract.js';
import { ensureModel, type InstalledModels } from './modelGate.js';

const ficheIds = z.array(z.string().min(1).max(40)).max(20).optional();
const askSchema = z.object({
  question: z.string().max(200_000),
  conversationId: z.string().max(100).optional(),
  useModel: z.boolean().optional(),
  modelPath: z.string().min(1).max(4096).optional(),
  k: z.number().int().min(1).max(10).optional(),
  audiences: z.array(z.enum(AUDIENCES as [Audience, ...Audience[]])).max(3).optional(),
  pinned: ficheIds,
  excluded: ficheIds,
  maxTokens: z.number().int().min(16).max(4096).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
});
const idSchema = z.object({ id: z.string().min(1).max(100) });
const pageSchema = z.object({ limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).optional();
const feedbackSchema = z.object({
  conversationId: z.string().max(100),
  messageId: z.string().max(100),
  verdict: z.enum(['used-as-is', 'edited', 'discarded']),
  secondsToCopy: z.number().nonnegative().max(86_400).optional(),
  comment: z.string().max(2_000).optional(),
});

export interface AssistantModuleDeps {
  ask: AskService;
  runtime: ModelRuntime;
  conversations: ConversationStore;
  feedback: FeedbackStore;
  settings: Settings;
  /** Installed models, to pick one when none is named. */
  installed?: InstalledModels;
}

/** The agent's use cases over RPC: questions (kept in conversations), history, feedback. */
export function assistantModule(deps: AssistantModuleDeps): EngineModule<AssistantContract> {
  return {
    handlers: {
      ask: { parse: (raw) => askSchema.parse(raw), run: (request, { signal, emit }) => askInConversation(deps, request, signal, emit) },
      'conversations.list': { parse: (raw) => pageSchema.parse(raw), run: (page) => deps.conversations.list(page ?? {}) },
      'conversations.get': { parse: (raw) => idSchema.parse(raw), run: ({ id }) => deps.conversations.get(id) },
      'conversations.delete': {
        parse: (raw) => idSchema.parse(raw),
        run: async ({ id }) => {
          await deps.conversations.delete(id);
          return null;
        },
      },
      'conversations.export': {
        parse: (raw) => idSchema.extend({ format: z.enum(['markdown', 'json']) }).parse(raw),
        run: ({ id, format }) => (format === 'markdown' ? deps.conversations.exportMarkdown(id) : deps.conversations.exportJson(id)),
      },
      'feedback.record': { parse: (raw) => feedbackSchema.parse(raw), run: (input) => deps.feedback.record(input) },
      'feedback.stats': {
        parse: (raw) => z.object({ since: z.string().datetime().optional() }).optional().parse(raw),
        run: (options) => deps.feedback.stats(options?.since ? { since: new Date(options.since) } : {}),
      },
    },
  };
}

type AskParams = z.output<typeof askSchema>;

/** Loads the model if asked, answers with the conversation's history, and stores the question and the draft. */
async function askInConversation(deps: AssistantModuleDeps, request: AskParams, signal: AbortSignal, emit: (event: AskEvent) => void): Promise<AskAnswer> {
  if (request.useModel !== false) {
    await ensureModel(deps.runtime, deps.settings, request.modelPath, {
      signal,
      ...(deps.installed ? { installed: deps.installed } : {}),
      onLoading: (message) => emit({ type: 'status', stage: 'loading', message }),
    });
  }
  const history = request.conversationId ? await previousQuestions(deps.conversations, request.conversationId) : [];
  const conversationId = request.conversationId ?? (await deps.conversations.create(request.question)).id;
  const answer = await deps.ask.ask({ ...request, conversationId }, history, { signal, emit });
  await deps.conversations.append(conversationId, { role: 'agent', text: answer.question });
  const stored = await deps.conversations.append(conversationId, {
    role: 'assistant',
    text: answer.answer,
    citations: answer.citations.map(({ n, ficheId }) => ({ n, ficheId })),
    sources: answer.sources.map(({ ficheId, title, url, date }) => ({ ficheId, title, url, date })),
    stats: { ...answer.stats, citationValidity: answer.citationValidity },
  });
  return { ...answer, messageId: stored.id };
}

/** The agent's earlier questions, each with the query it was searched with (follow-ups chained). */
async function previousQuestions(conversations: ConversationStore, id: string): Promise<PreviousQuestion[]> {
  const conversation = await conversations.get(id);
  const history: PreviousQuestion[] = [];
  for (const message of conversation.messages) {
    if (message.role !== 'agent') continue;
    history.push({ question: message.text, searchQuery: searchQueryFor(message.text, history).query });
  }
  return history;
}
