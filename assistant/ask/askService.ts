import type { GenerateOptions, GenerateRequest, GenerationResult } from '../../native-models/modelRuntime.js';
import { hasReadableText, NO_READABLE_TEXT } from '../text/inertText.js';
import { AssistantError } from '../assistantError.js';
import type { Fiche, SearchHit, SearchRequest, SearchResult } from '../knowledge/knowledgeTypes.js';
import { answerRequest, withoutQuestion } from './askPrompt.js';
import { type ConversationTurns, followUpText, freshExtracts, TurnMemory, turnsAfter } from './conversationTurns.js';
import type { AnswerSource, AnswerWarning, AskAnswer, AskEvent, AskRequest, Citation } from './askTypes.js';
import type { ReadAheadRequest, ReadingProgress } from '../../native-models/modelRuntime.js';
import { mapCitations } from './citations.js';
import { type Extract, selectExtracts } from './extracts.js';
import { type PreviousQuestion, searchQueryFor } from './followUp.js';
import { practicalLinks, relatedQuestions } from './fichesAround.js';
import { DEFAULT_BUDGET, estimateTokens, extractRoom, extractTokensFor, type PromptBudget } from './promptBudget.js';
import { questionStems } from './answeringSentences.js';
import { searchOnlyAnswer } from './searchOnlyAnswer.js';
import { shrinkToFit } from '../text/shrinkToFit.js';
import { STOPPED_NOTICE } from '../contract/answerNotices.js';

/** The loaded chat model, as the use case needs it. */
export interface AnswerModel {
  /** Context size of the loaded model; `undefined` when no model is loaded. */
  loadedContextSize(): number | undefined;
  generate(request: GenerateRequest, options: GenerateOptions): Promise<GenerationResult>;
  /** Exact tokens of a prompt with the loaded model's tokenizer and template. */
  promptTokens(request: GenerateRequest): Promise<number>;
  /** Measured prompt reading speed of the loaded model, tokens/s (the extracts' budget follows it). */
  readingSpeed?(): number | undefined;
}

/** Tokens of answer that must stay free, at least, once the extracts are in. */
const MIN_ANSWER_ROOM = 256;

/** The fiches, as the use case needs them. */
export interface AnswerKnowledge {
  search(request: SearchRequest): Promise<SearchResult>;
  getFiche(id: string, audience?: Fiche['audience']): Promise<Fiche>;
}

export interface AskServiceOptions {
  budget?: Partial<PromptBudget>;
  /** Masks personal data in what the model sees (`privacy.maskBeforeModel`). */
  maskForModel?: (text: string) => string;
}

/** Longest question sent to search and model; a longer paste is cut, and the agent told. */
export const MAX_QUESTION_CHARS = 4_000;

/**
 * Answers an agent's question: search (with the conversation's subject for a follow-up), extracts within the
 * prompt budget, a streamed draft, its `[n]` mapped back to fiches, then related questions and practical links of
 * the fiches used. Without a model, the same answer shape with the best passages, labelled as search results.
 */
export class AskService {
  private readonly turns = new TurnMemory();
  /** The turns of answers not stored yet, until {@link rememberTurn} names their conversation. */
  private readonly pendingTurns = new WeakMap<AskAnswer, ConversationTurns>();

  constructor(
    private readonly knowledge: AnswerKnowledge,
    private readonly model: AnswerModel | undefined,
    private readonly options: AskServiceOptions = {},
  ) {}

  async ask(request: AskRequest, history: readonly PreviousQuestion[], control: { signal?: AbortSignal; emit?: (event: AskEvent) => void } = {}): Promise<AskAnswer> {
    const started = performance.now();
    const emit = (event: AskEvent) => safely(() => control.emit?.(event));
    const notices: string[] = [];
    emit({ type: 'status', stage: 'searching', message: 'Recherche dans les fiches…' });
    const found = await this.find(request, history, notices, control.signal);
    const searchMs = performance.now() - started;
    const contextSize = request.useModel === false ? undefined : this.model?.loadedContextSize();
    const { question, query, previous, result } = found;
    const base = { question, searchQuery: query, weakRetrieval: result.weak, ...(request.conversationId ? { conversationId: request.conversationId } : {}) };
    if (result.weak) notices.push('Les fiches trouvées répondent mal à la question : vérifiez les sources ou reformulez.');
    const run: DraftRun = { request, question, previous, result, contextSize: contextSize ?? 0, searchMs, started, notices, base, emit, signal: control.signal };
    if (contextSize === undefined || !this.model) return this.searchOnly(run, []);
    return this.draft(run);
  }

  /**
   * What a question would be answered from, without answering it: the fiches found and, when a model is loaded, the
   * prompt's beginning (system prompt and extracts) that a speculative reading can read while the agent types. The
   * same search and the same choice of extracts as {@link ask}, so the reading is what the question will reuse.
   */
  async preview(request: AskRequest, history: readonly PreviousQuestion[], signal?: AbortSignal): Promise<AskPreview> {
    const { question, previous, result } = await this.find(request, history, [], signal);
    const contextSize = request.useModel === false ? undefined : this.model?.loadedContextSize();
    if (contextSize === undefined || !this.model) return { result };
    const { extracts, beginning } = await this.prompt(request, question, previous, contextSize, result);
    return { result, extracts, beginning };
  }

  private async find(request: AskRequest, history: readonly PreviousQuestion[], notices: string[], signal: AbortSignal | undefined) {
    const question = this.validQuestion(request.question, notices);
    const { query, previous } = searchQueryFor(question, history);
    const result = await this.knowledge.search({
      query,
      k: Math.min(10, Math.max(1, request.k ?? 5)),
      passagesPerFiche: 3,
      ...(request.audiences ? { audiences: request.audiences } : {}),
      ...(request.pinned ? { pinned: request.pinned } : {}),
      ...(request.excluded ? { excluded: request.excluded } : {}),
      ...(signal ? { signal } : {}),
    });
    return { question, query, previous, result };
  }

  /**
   * The extracts and the generation request of a question, fitted to the model's context, and the request's beginning
   * without the question (what a speculative reading reads). A follow-up whose conversation the engine remembers
   * continues it: the previous prompt and answer unchanged, then only the new extracts and the question.
   */
  private async prompt(request: AskRequest, question: string, previous: string | undefined, contextSize: number, result: SearchResult): Promise<PromptPlan> {
    const configured = { ...DEFAULT_BUDGET, ...this.options.budget };
    const budget: PromptBudget = { ...configured, contextSize, maxExtractTokens: extractTokensFor(this.model?.readingSpeed?.(), configured.maxExtractTokens) };
    const stems = questionStems(result.analysis.terms, result.analysis.expansions);
    const maxTokens = request.maxTokens ?? budget.answerTokens;
    const mask = this.options.maskForModel;
    const modelQuestion = mask ? mask(question) : question;
    // The room of the extracts never depends on the request's own answer length: the extracts chosen while the agent
    // types (no answer length known) must be those of the question asked.
    const limit = contextSize - Math.min(budget.answerTokens, MIN_ANSWER_ROOM);
    const settings = { maxTokens, temperature: 0.2, ...(request.seed !== undefined ? { seed: request.seed } : {}) };
    const turns = previous ? this.turns.get(request.conversationId) : undefined;
    if (turns) {
      const room = extractRoom(budget, '');
      const fresh = freshExtracts(turns, selectExtracts(result.hits, room, stems));
      const build = (chosen: readonly Extract[]): GenerateRequest => ({
        ...(turns.system !== undefined ? { system: turns.system } : {}),
        messages: [...turns.messages, { role: 'user', text: followUpText(chosen, modelQuestion) }],
        ...settings,
      });
      const fitted = await this.fitToContext(fresh, build, limit);
      // A conversation grown past the context starts afresh: the previous question is then only recalled.
      if ((await this.model!.promptTokens(fitted.prompt)) <= limit) {
        return { extracts: [...turns.extracts, ...fitted.extracts], prompt: fitted.prompt, beginning: withoutQuestion(fitted.prompt, modelQuestion) };
      }
    }
    // The room does not depend on the question's length: the extracts chosen while the agent types stay the same.
    const room = extractRoom(budget, previous ?? '');
    const build = (chosen: readonly Extract[]) =>
      answerRequest({
        question: modelQuestion,
        extracts: chosen,
        maxTokens,
        ...(previous ? { previousQuestion: mask?.(previous) ?? previous } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      });
    const fitted = await this.fitToContext(selectExtracts(result.hits, room, stems), build, limit);
    return { ...fitted, beginning: withoutQuestion(fitted.prompt, modelQuestion) };
  }

  /**
   * Keeps what the model saw and wrote for this answer under its conversation, so that a follow-up continues it.
   * Called once the answer is stored (a first question has its conversation id only then).
   */
  rememberTurn(answer: AskAnswer, conversationId: string): void {
    const turns = this.pendingTurns.get(answer);
    if (turns) this.turns.keep(conversationId, turns);
  }

  /** The best passages, labelled as search results: without a model, or when the model failed. */
  private async searchOnly(run: DraftRun, warnings: AnswerWarning[]): Promise<AskAnswer> {
    const answer = searchOnlyAnswer(run.result.hits, run.notices, run.request.useModel === false);
    run.emit({ type: 'status', stage: 'search-only', message: answer.notices.at(-1) ?? '' });
    const around = await this.around(answer.sources.map((s) => s.ficheId), run.result.hits);
    const stats = { searchMs: run.searchMs, promptTokens: 0, evaluatedPromptTokens: 0, readAfterSubmitMs: null, ttftMs: null, tokensPerSecond: 0, totalMs: performance.now() - run.started };
    return this.finish(run.emit, { ...run.base, ...answer, ...around, warnings, stats });
  }

  private async draft(run: DraftRun): Promise<AskAnswer> {
    const { request, result, emit } = run;
    const { extracts, prompt } = await this.prompt(request, run.question, run.previous, run.contextSize, result);
    emit({ type: 'sources', consulted: groupBySource(extracts, result.hits) });
    emit({ type: 'status', stage: 'writing', message: 'Rédaction du brouillon…' });
    let generated: GenerationResult;
    try {
      generated = await this.model!.generate(prompt, {
        ...(run.signal ? { signal: run.signal } : {}),
        onText: (text) => emit({ type: 'token', text }),
        onReading: (progress) => emit(readingEvent(progress)),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      // The sources are found: the agent keeps them, and is told the draft failed.
      const message = `La rédaction du brouillon a échoué : voici les passages des fiches trouvées. (${error instanceof Error ? error.message : String(error)})`;
      return this.searchOnly(run, [{ code: 'generation-failed', message }]);
    }
    const warnings: AnswerWarning[] = hasReadableText(generated.text) ? [] : [{ code: 'no-readable-text', message: NO_READABLE_TEXT }];
    // A connection cut half-way keeps the text written, as a stop does, and says why.
    if (generated.interruption) warnings.unshift({ code: generated.interruption.code, message: generated.interruption.message });
    const check = mapCitations(generated.text, extracts);
    const citedExtracts = check.cited.map((c) => c.extract);
    const sources = groupBySource(citedExtracts, result.hits);
    const citedKeys = new Set(sources.map((s) => s.ficheId));
    const consulted = groupBySource(extracts.filter((e) => !citedKeys.has(e.ficheId)), result.hits);
    const citations: Citation[] = check.cited.map(({ n, extract }) => ({ n, ficheId: extract.ficheId, title: extract.title, url: extract.url }));
    emit({ type: 'citations', citations, sources });
    if (generated.reason === 'maxTokens') run.notices.push('Le brouillon a été coupé à la longueur maximale.');
    if (generated.reason === 'aborted' && !generated.interruption) run.notices.push(STOPPED_NOTICE);
    if (check.invalid.length > 0) run.notices.push(`Références sans extrait correspondant retirées des sources : ${check.invalid.map((n) => `[${n}]`).join(', ')}.`);
    const around = await this.around(sources.length > 0 ? sources.map((s) => s.ficheId) : result.hits.slice(0, 1).map((h) => h.ficheId), result.hits);
    const stats = generated.stats;
    const turns = turnsAfter(prompt, extracts, generated.text);
    const answer = await this.finish(emit, {
      ...run.base,
      mode: 'model',
      answer: generated.text.trim(),
      citations,
      invalidCitations: check.invalid,
      citationValidity: check.validity,
      sources,
      consulted,
      ...around,
      stopReason: generated.reason,
      ...(generated.writtenOn ? { writtenOn: generated.writtenOn } : {}),
      notices: run.notices,
      warnings,
      stats: {
        searchMs: run.searchMs,
        promptTokens: stats.promptTokens || estimateTokens(`${prompt.system ?? ''}${prompt.messages[0]?.text ?? ''}`),
        evaluatedPromptTokens: stats.evaluatedPromptTokens,
        readAfterSubmitMs: stats.timeToFirstTokenMs,
        ttftMs: stats.timeToFirstTokenMs === null ? null : run.searchMs + stats.timeToFirstTokenMs,
        ...(stats.promptReadMs !== undefined ? { promptReadMs: stats.promptReadMs } : {}),
        completionTokens: stats.completionTokens,
        tokensPerSecond: stats.tokensPerSecond,
        totalMs: performance.now() - run.started,
      },
    });
    this.pendingTurns.set(answer, turns);
    return answer;
  }

  /**
   * The estimate of tokens per character is right for Lucie or Mistral but not for every tokenizer: the prompt is
   * measured with the model's own, and the last extracts dropped until it leaves room for the answer.
   */
  private async fitToContext(
    selected: Extract[],
    build: (extracts: readonly Extract[]) => GenerateRequest,
    limit: number,
  ): Promise<{ extracts: Extract[]; prompt: GenerateRequest }> {
    const { built, size } = await shrinkToFit(selected.length, (count) => build(selected.slice(0, count)), (prompt) => this.model!.promptTokens(prompt), limit, {
      maxSteps: selected.length + 1,
    });
    return { extracts: selected.slice(0, size), prompt: built };
  }

  private validQuestion(raw: string, notices: string[]): string {
    const question = (raw ?? '').trim();
    if (!question) throw new AssistantError('invalid-request', 'La question est vide.');
    if (question.length <= MAX_QUESTION_CHARS) return question;
    notices.push(`Question très longue : seuls les ${MAX_QUESTION_CHARS.toLocaleString('fr-FR')} premiers caractères ont été pris en compte.`);
    return question.slice(0, MAX_QUESTION_CHARS);
  }

  /** Related questions and practical links of the fiches used (at most 3 fiches read). */
  private async around(ficheIds: readonly string[], hits: readonly SearchHit[]) {
    const audienceOf = new Map(hits.map((hit) => [hit.ficheId, hit.audience]));
    const fiches = await Promise.all(
      [...new Set(ficheIds)].slice(0, 3).map((id) => this.knowledge.getFiche(id, audienceOf.get(id)).catch(() => undefined)),
    );
    const found = fiches.filter((fiche): fiche is Fiche => fiche !== undefined);
    return { relatedQuestions: relatedQuestions(found), links: practicalLinks(found) };
  }

  private finish(emit: (event: AskEvent) => void, answer: AskAnswer): AskAnswer {
    emit({ type: 'related', questions: answer.relatedQuestions });
    emit({ type: 'links', links: answer.links });
    return answer;
  }
}

interface DraftRun {
  request: AskRequest;
  question: string;
  previous: string | undefined;
  result: SearchResult;
  contextSize: number;
  searchMs: number;
  started: number;
  notices: string[];
  base: Pick<AskAnswer, 'question' | 'searchQuery' | 'weakRetrieval' | 'conversationId'>;
  emit: (event: AskEvent) => void;
  signal: AbortSignal | undefined;
}

/** Extracts grouped per fiche, in the order of their first extract. */
export function groupBySource(extracts: readonly Extract[], hits: readonly SearchHit[]): AnswerSource[] {
  const sources = new Map<string, AnswerSource>();
  for (const extract of extracts) {
    const hit = hits.find((h) => h.ficheId === extract.ficheId);
    const source = sources.get(extract.ficheId) ?? {
      ficheId: extract.ficheId,
      title: extract.title,
      url: extract.url,
      date: extract.date,
      audience: hit?.audience ?? extract.audience,
      passages: [],
    };
    source.passages.push({ n: extract.n, text: extract.text, sectionPath: extract.sectionPath });
    sources.set(extract.ficheId, source);
  }
  return [...sources.values()];
}

/** What {@link AskService.preview} found: the search, and with a model the extracts and the prompt's beginning. */
export interface AskPreview {
  result: SearchResult;
  extracts?: Extract[];
  beginning?: ReadAheadRequest;
}

interface PromptPlan {
  extracts: Extract[];
  prompt: GenerateRequest;
  beginning: ReadAheadRequest;
}

/** « Lecture des extraits : 60 % »: the share of the prompt in the model's context. */
export function readingEvent(progress: ReadingProgress): AskEvent {
  const fraction = progress.total > 0 ? Math.min(1, progress.inContext / progress.total) : 1;
  return { type: 'reading', fraction, inContext: progress.inContext, total: progress.total };
}

/** A listener that throws cannot break the answer. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // The agent's display failing must not stop the draft: the final answer still carries everything.
  }
}
