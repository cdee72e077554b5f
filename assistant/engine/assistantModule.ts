import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { AskService } from '../ask/askService.js';
import type { ReadAheadService } from '../ask/readAheadService.js';
import type { AnswerSource, AnswerWarning, AskAnswer, AskEvent } from '../ask/askTypes.js';
import { type PreviousQuestion, searchQueryFor } from '../ask/followUp.js';
import type { EngineModule } from '../contract/engineContract.js';
import { isAbort } from '../contract/errorRegistry.js';
import type { ParamsOut } from '../contract/method.js';
import type { ASSISTANT_METHODS } from '../contract/methods/assistantMethods.js';
import type { FeedbackStore } from '../feedback/feedbackStore.js';
import type { ConversationStore } from '../history/conversationStore.js';
import type { MessageSource } from '../history/conversationTypes.js';
import type { Settings } from '../settings/settingsSchema.js';
import { ensureModel, type InstalledModels } from './modelGate.js';
import { batchedTokens } from './tokenEvents.js';

export interface AssistantModuleDeps {
  ask: AskService;
  readAhead: ReadAheadService;
  runtime: ModelRuntime;
  conversations: ConversationStore;
  feedback: FeedbackStore;
  settings: Settings;
  /** Installed models, to pick one when none is named. */
  installed?: InstalledModels;
  /** Setting keys machine policy fixes: a server it imposes is never offered to be replaced by this PC's model. */
  locked?: () => Promise<readonly string[]>;
}

type AssistantMethods = typeof ASSISTANT_METHODS;

/** The agent's use cases: questions (kept in conversations), history, feedback. */
export function assistantModule(deps: AssistantModuleDeps): EngineModule<keyof AssistantMethods> {
  return {
    handlers: {
      ask: (request, { signal, emit }) => {
        // A real question: any speculative reading yields now, before the search (it keeps what it read).
        deps.runtime.yieldReadAhead?.();
        return askInConversation(deps, request, signal, emit);
      },
      'question.prepare': async (request, { signal, emit }) => {
        const history = request.conversationId ? await previousQuestions(deps.conversations, request.conversationId).catch(() => []) : [];
        return deps.readAhead.prepare(request, history, { signal, emit });
      },
      'conversations.list': async (page) => (deps.settings['features.history'] ? deps.conversations.list(page ?? {}) : { total: 0, conversations: [] }),
      'conversations.get': ({ id }) => deps.conversations.get(id),
      'conversations.delete': async ({ id }) => {
        await deps.conversations.delete(id);
        return null;
      },
      'conversations.export': ({ id, format }) => (format === 'markdown' ? deps.conversations.exportMarkdown(id) : deps.conversations.exportJson(id)),
      'feedback.record': (input) => deps.feedback.record(input),
      'feedback.stats': (options) => deps.feedback.stats(options?.since ? { since: new Date(options.since) } : {}),
    },
  };
}

type AskParams = ParamsOut<AssistantMethods['ask']>;

/**
 * Answers with the conversation's history and stores the question with its draft. What fails on the way — the model,
 * the history — becomes a warning: the agent always gets the sources that search found.
 */
async function askInConversation(deps: AssistantModuleDeps, request: AskParams, signal: AbortSignal, emit: (event: AskEvent) => void): Promise<AskAnswer> {
  const out = batchedTokens(emit, (text): AskEvent => ({ type: 'token', text }));
  const warnings: AnswerWarning[] = [];
  const { interruptedDraft, ...question } = request;
  let useModel = question.useModel !== false && !interruptedDraft;
  if (useModel) {
    try {
      await ensureModel(deps.runtime, deps.settings, question.modelPath, {
        signal,
        ...(deps.installed ? { installed: deps.installed } : {}),
        onLoading: (message) => out.emit({ type: 'status', stage: 'loading', message }),
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      useModel = false;
      warnings.push({ code: 'model-unavailable', message: `Le modèle de langue n'a pas pu être chargé : voici les passages des fiches trouvées. ${messageOf(error)}` });
    }
  }
  const history = question.conversationId ? await previousQuestions(deps.conversations, question.conversationId) : [];
  const asked = await deps.ask.ask({ ...question, useModel }, history, { signal, emit: out.emit });
  let answer = asked;
  if (interruptedDraft) answer = withInterruptedDraft(answer, interruptedDraft);
  answer = { ...answer, warnings: [...warnings, ...answer.warnings] };
  answer = await withLocalOffer(deps, answer);
  // History off (policy or the agent): the answer is given, nothing is written.
  const stored = deps.settings['features.history'] ? await store(deps.conversations, answer) : { warnings: [] };
  if (stored.conversationId) deps.ask.rememberTurn(asked, stored.conversationId);
  out.flush();
  const stopped = answer.stopReason === 'aborted';
  emit({
    type: 'done',
    reason: stopped ? 'stopped' : 'completed',
    ...(stored.conversationId ? { conversationId: stored.conversationId } : {}),
    ...(stored.messageId ? { messageId: stored.messageId } : {}),
    ...(stopped ? { answer: answer.answer, citations: answer.citations, sources: answer.sources } : {}),
    ...(answer.writtenOn ? { writtenOn: answer.writtenOn } : {}),
  });
  return { ...answer, ...stored, warnings: [...answer.warnings, ...stored.warnings] };
}

/**
 * When the shared server could not write the draft and a model is installed on this PC, the agent is told it may use
 * it: never a silent switch (the question would then be read by another model, with other data rules).
 */
async function withLocalOffer(deps: AssistantModuleDeps, answer: AskAnswer): Promise<AskAnswer> {
  if (!deps.settings['runtime.remote.url'] || answer.mode === 'model') return answer;
  if (!answer.warnings.some((w) => w.code === 'model-unavailable' || w.code === 'generation-failed')) return answer;
  const installed = deps.installed ? (await deps.installed().catch(() => ({ installed: [] }))).installed : [];
  if (installed.length === 0) return answer;
  if (deps.locked && (await deps.locked().catch((): readonly string[] => [])).includes('runtime.remote.url')) return answer;
  const message = 'Un modèle de langue est installé sur ce poste : pour rédiger ici, retirez le serveur partagé dans Paramètres (réglage runtime.remote.url) ou relancez avec --model.';
  return { ...answer, warnings: [...answer.warnings, { code: 'local-model-available', message }] };
}

/** The search-only answer of a question whose draft the engine could not finish, with the text written before. */
function withInterruptedDraft(answer: AskAnswer, draft: { text: string; message: string }): AskAnswer {
  const text = draft.text.trim();
  return {
    ...answer,
    ...(text ? { mode: 'model' as const, answer: text } : {}),
    stopReason: 'aborted',
    warnings: [{ code: 'engine-stopped', message: draft.message }, ...answer.warnings],
  };
}

/** Saves the question and its answer (partial or not); a history that cannot be written is a warning, not a failure. */
async function store(conversations: ConversationStore, answer: AskAnswer): Promise<{ conversationId?: string; messageId?: string; warnings: AnswerWarning[] }> {
  try {
    const conversationId = answer.conversationId ?? (await conversations.create(answer.question)).id;
    await conversations.append(conversationId, { role: 'agent', text: answer.question });
    const consulted = uncited(answer);
    const message = await conversations.append(conversationId, {
      role: 'assistant',
      text: answer.answer,
      citations: answer.citations.map(({ n, ficheId }) => ({ n, ficheId })),
      sources: answer.sources.map(messageSource),
      ...(consulted.length > 0 ? { consulted: consulted.map(messageSource) } : {}),
      stats: { ...answer.stats, citationValidity: answer.citationValidity },
      ...(answer.writtenOn ? { writtenOn: answer.writtenOn } : {}),
      ...(answer.stopReason === 'aborted' ? { stopped: true } : {}),
    });
    return { conversationId, messageId: message.id, warnings: [] };
  } catch (error) {
    if (!(error instanceof Error && error.name === 'HistoryError')) throw error;
    return { warnings: [{ code: 'history-unwritable', message: `La conversation n'a pas pu être enregistrée dans l'historique : ${error.message}` }] };
  }
}

/** A source as the history keeps it: what its card shows again when the conversation is reopened. */
function messageSource({ ficheId, title, url, date, audience, passages }: AnswerSource): MessageSource {
  // Within the history's line limits (a chunk is far shorter): a long passage must not cost the whole message.
  const kept = passages.slice(0, 50).map(({ n, text, sectionPath }) => ({ ...(n === undefined ? {} : { n }), text: text.slice(0, 20_000), sectionPath: sectionPath.slice(0, 20) }));
  return { ficheId, title, url, date, audience, passages: kept };
}

/** The fiches read but not cited, once each. */
function uncited(answer: AskAnswer): AnswerSource[] {
  const seen = new Set(answer.sources.map((s) => s.ficheId));
  const fiches: AnswerSource[] = [];
  for (const source of answer.consulted) {
    if (seen.has(source.ficheId)) continue;
    seen.add(source.ficheId);
    fiches.push(source);
  }
  return fiches;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
