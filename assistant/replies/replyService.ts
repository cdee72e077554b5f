import { z } from 'zod';
import type { SearchResult } from '../../corpus/search/ficheSearch.js';
import type { GenerateOptions, GenerateRequest, GenerationResult, GenerationStats, StopReason } from '../../native-models/modelRuntime.js';
import { defaultSettings } from '../settings/settingsSchema.js';
import { stripAiMention, withAiMention } from './aiMention.js';
import { shrinkToFit } from '../text/shrinkToFit.js';
import { mapCitations, type ReplyCitation, type ReplyExtract } from './replyCitations.js';
import { INSTITUTION_MAX, type ReplyTone } from './replyEntry.js';
import { toneSchema } from '../contract/methods/common.js';
import { ReplyError } from './replyError.js';
import type { ReplyLibrary, SimilarReply } from './replyLibrary.js';
import { buildReplyPrompt, TESTIMONY_PROMPT_MAX } from './replyPrompt.js';
import { questionOf } from './testimonyQuestion.js';

/** Searches the fiches (the knowledge base's `search`, with `k` fiches). */
export type ReplySearch = (query: string, options: { k: number; signal?: AbortSignal }) => Promise<SearchResult>;
/** Generates with the loaded model (the runtime's `generate`). */
export type ReplyGenerate = (request: GenerateRequest, options: GenerateOptions) => Promise<GenerationResult>;

/** What a {@link ReplyService} needs. The shell's composition file builds it once. */
export interface ReplyServiceOptions {
  /** Validated replies: style examples, and the starting points when no model is loaded. */
  library: Pick<ReplyLibrary, 'similar' | 'markUsed'>;
  /** `undefined` when there is no knowledge base: questions are then answered without fiches. */
  search: ReplySearch | undefined;
  /** `undefined` when no model is loaded: drafts fall back to the library (`library-only`). */
  generate: ReplyGenerate | undefined;
  /** The `replies.aiMention` setting (policy can set it), read at each draft. Blank: the default text. */
  aiMention: () => string;
  /** Masks personal data: the testimony is masked before the model sees it, since the reply is published. */
  redact: (text: string) => string;
  /** Token budget of the prompt; see `buildReplyPrompt`. Default 1,800. */
  promptBudget?: number;
  /**
   * The loaded model's exact prompt length and context size: the budget above is an estimate (3.2 characters a
   * token), right for Lucie or Mistral, not for every tokenizer. When given, the prompt is shrunk until it fits.
   */
  measure?: { promptTokens(request: GenerateRequest): Promise<number>; contextSize(): number | undefined };
}

/** A testimony to answer. */
export interface ReplyRequest {
  /** The citizen's testimony as pasted; HTML or script in it is plain text. Only its first 3,000 characters count. */
  testimony: string;
  /** The answering institution (« CAF de la Gironde »), at most 200 characters; blank: a placeholder to fill. */
  institution?: string;
  /** Default `neutre`. */
  tone?: ReplyTone;
}

export interface DraftReplyOptions {
  signal?: AbortSignal;
  /** `false`: no draft even when a model is loaded, only the closest validated replies. Default true. */
  useModel?: boolean;
  /** The model's raw text as it is written; the final `reply` (mention appended, bad citations removed) replaces it. */
  onText?: (text: string) => void;
}

/** A validated reply offered as a starting point. */
export interface ReplySuggestion {
  id: string;
  institution: string;
  reply: string;
  /** Closeness to the testimony, comparable within one draft only. */
  score: number;
}

/** A draft for the agent to review, edit and publish. */
export interface ReplyDraft {
  /** `model`: the model's text, a blank line, the mention. `library-only`: the closest validated reply, or empty. */
  reply: string;
  /** The AI mention appended (`model`), `null` when no AI wrote the text (`library-only`). */
  mention: string | null;
  /** Fiches cited by `[n]` in the reply, in order of first citation. */
  citations: ReplyCitation[];
  /** Library entries given to the model as examples (`model`) or offered as suggestions (`library-only`). */
  examplesUsed: string[];
  mode: 'model' | 'library-only';
  /** The closest validated replies (`library-only`); empty in `model` mode. */
  suggestions: ReplySuggestion[];
  /** French remarks for the agent: no model loaded, testimony cut, fiches unavailable, generation stopped… */
  notes: string[];
  stopReason?: StopReason;
  stats?: GenerationStats;
  /** The shared server's `host[:port]` when the reply was written there; absent: on this PC. */
  writtenOn?: string;
}

const requestSchema = z.object({
  testimony: z.string(),
  institution: z.string().max(INSTITUTION_MAX).optional(),
  tone: toneSchema.optional(),
});

/** Fiches searched for a question, and passages given to the model. */
const SEARCH_K = 3;
const MAX_EXTRACTS = 4;
/** Masking a 200,000-character paste is wasted work: only the start reaches the prompt. */
const TESTIMONY_READ_MAX = TESTIMONY_PROMPT_MAX + 1_000;

/**
 * Drafts Services Publics+ replies: a short courteous answer to a citizen's testimony in the style of the replies
 * agents validated, answering its question from the fiches, with the policy's AI mention appended exactly once.
 */
export class ReplyService {
  readonly #options: ReplyServiceOptions;

  constructor(options: ReplyServiceOptions) {
    this.#options = options;
  }

  /** The mention in force now: `settings.set` and policy apply without a restart. */
  get #mention(): string {
    return this.#options.aiMention().trim() || defaultSettings()['replies.aiMention'];
  }

  /**
   * Drafts a reply. Without a model, returns the closest validated replies instead (`library-only`, no AI mention).
   * @throws ReplyError `reply-testimony-empty`, `reply-request-invalid`; an `AbortError` when aborted before generating
   *   (once generating, an abort returns the text so far, `stopReason: 'aborted'`).
   */
  async draftReply(request: ReplyRequest, options: DraftReplyOptions = {}): Promise<ReplyDraft> {
    const parsed = requestSchema.safeParse(request);
    if (!parsed.success) {
      throw new ReplyError('reply-request-invalid', 'Demande de réponse invalide : vérifiez le témoignage, le service (200 caractères au plus) et le ton.', {
        cause: parsed.error,
      });
    }
    const raw = parsed.data.testimony.trim();
    if (!raw) throw new ReplyError('reply-testimony-empty', 'Le témoignage est vide : collez le texte de l’usager pour préparer une réponse.');
    options.signal?.throwIfAborted();
    const testimony = this.#options.redact(raw.slice(0, TESTIMONY_READ_MAX));
    const institution = parsed.data.institution?.trim() ?? '';
    const notes: string[] = [];
    const similar = await this.#similar(testimony, institution, notes);
    const generate = options.useModel === false ? undefined : this.#options.generate;
    if (!generate) return libraryOnly(similar, notes);

    const extracts = await this.#extracts(testimony, notes, options.signal);
    const build = (promptBudget: number | undefined) =>
      buildReplyPrompt(
        {
          testimony,
          institution,
          tone: parsed.data.tone ?? 'neutre',
          examples: similar.slice(0, 2).map(({ entry }) => ({ ...entry, reply: stripAiMention(entry.reply, this.#mention) })),
          extracts,
        },
        promptBudget === undefined ? {} : { promptBudget },
      );
    const prompt = await this.#fit(build);
    if (prompt.testimonyTrimmed) notes.push('Témoignage long : seul son début a été pris en compte pour la réponse.');
    let result: GenerationResult;
    try {
      result = await generate(prompt.request, { ...(options.signal ? { signal: options.signal } : {}), ...(options.onText ? { onText: options.onText } : {}) });
    } catch (error) {
      if (!isModelNotLoaded(error)) throw error;
      return libraryOnly(similar, notes);
    }
    const body = stripAiMention(tidy(result.text), this.#mention);
    const { text, citations } = mapCitations(body, prompt.extracts);
    notes.push(...stopNotes(result.reason, text));
    await this.#options.library.markUsed(prompt.examplesUsed).catch(() => undefined); // a count, not worth failing a draft
    return {
      reply: text ? withAiMention(text, this.#mention) : '',
      mention: this.#mention,
      citations,
      examplesUsed: prompt.examplesUsed,
      mode: 'model',
      suggestions: [],
      notes,
      stopReason: result.reason,
      stats: result.stats,
      ...(result.writtenOn ? { writtenOn: result.writtenOn } : {}),
    };
  }

  /** Shrinks the budget in proportion to the measured overflow until the prompt leaves room for the reply. */
  async #fit(build: (promptBudget: number | undefined) => ReturnType<typeof buildReplyPrompt>): Promise<ReturnType<typeof buildReplyPrompt>> {
    const first = build(this.#options.promptBudget);
    const context = this.#options.measure?.contextSize();
    if (!this.#options.measure || context === undefined) return first;
    const { measure } = this.#options;
    const limit = context - (first.request.maxTokens ?? 400);
    const start = this.#options.promptBudget ?? 1_800;
    const { built } = await shrinkToFit(start, (budget) => (budget === start ? first : build(budget)), (prompt) => measure.promptTokens(prompt.request), limit, { margin: 0.9, maxSteps: 4 });
    return built;
  }

  async #similar(testimony: string, institution: string, notes: string[]): Promise<SimilarReply[]> {
    try {
      return await this.#options.library.similar(testimony, institution, 3);
    } catch (error) {
      // An unreadable library must not prevent drafting: the reply is written without examples.
      notes.push(`Bibliothèque de réponses indisponible : réponse rédigée sans exemple. (${describe(error)})`);
      return [];
    }
  }

  /** Extracts of the fiches for the testimony's question; none when it asks nothing or nothing matches well. */
  async #extracts(testimony: string, notes: string[], signal?: AbortSignal): Promise<ReplyExtract[]> {
    const question = questionOf(testimony);
    if (!question || !this.#options.search) return [];
    let result: SearchResult;
    try {
      result = await this.#options.search(question, { k: SEARCH_K, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (isAbort(error)) throw error;
      notes.push(`Les fiches n'ont pas pu être consultées : réponse rédigée sans extrait. (${describe(error)})`);
      return [];
    }
    if (result.weak || result.hits.length === 0) {
      notes.push('Aucune fiche ne répond nettement à la question du témoignage : vérifiez les informations données.');
      return [];
    }
    return pickExtracts(result);
  }
}

/** The first passage of each fiche, then second passages of the best fiches, up to four; numbered from 1. */
function pickExtracts(result: SearchResult): ReplyExtract[] {
  const picked: { hit: SearchResult['hits'][number]; text: string }[] = [];
  for (const round of [0, 1]) {
    for (const hit of result.hits) {
      const passage = hit.passages[round];
      const text = passage ? [passage.sectionPath.join(' › '), passage.text].filter(Boolean).join(' : ') : round === 0 ? hit.description : '';
      if (text && picked.length < MAX_EXTRACTS) picked.push({ hit, text });
    }
  }
  return picked.map(({ hit, text }, index) => ({ n: index + 1, ficheId: hit.ficheId, title: hit.title, url: hit.url, date: hit.date, text }));
}

function libraryOnly(similar: readonly SimilarReply[], notes: string[]): ReplyDraft {
  const suggestions = similar.map(({ entry, score }) => ({ id: entry.id, institution: entry.institution, reply: entry.reply, score }));
  notes.unshift(
    suggestions.length > 0
      ? "Aucun modèle n'est chargé : voici les réponses validées les plus proches, à adapter au témoignage."
      : "Aucun modèle n'est chargé et la bibliothèque ne contient aucune réponse proche : rédigez la réponse vous-même.",
  );
  return {
    reply: suggestions[0]?.reply ?? '',
    mention: null,
    citations: [],
    examplesUsed: suggestions.map((s) => s.id),
    mode: 'library-only',
    suggestions,
    notes,
  };
}

/** Removes what the system prompt forbids but small models still write: headings, bold, a « Réponse : » label. */
function tidy(text: string): string {
  return text
    .replace(/^\s*(?:réponse(?: du service)?\s*:\s*)/i, '')
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .trim();
}

function stopNotes(reason: StopReason, text: string): string[] {
  if (!text) return ['Le modèle n’a produit aucun texte : relancez la rédaction ou rédigez la réponse vous-même.'];
  if (reason === 'aborted') return ['Rédaction interrompue : la réponse est incomplète.'];
  if (reason === 'maxTokens') return ['La réponse a atteint la longueur maximale : vérifiez sa fin et la signature.'];
  return [];
}

function isModelNotLoaded(error: unknown): boolean {
  const data = error as { name?: unknown; code?: unknown } | null;
  return data?.name === 'ModelError' && data.code === 'model-not-loaded';
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
