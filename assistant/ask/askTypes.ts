import type { z } from 'zod';
import type { askParams } from '../contract/methods/assistantMethods.js';
import type { Audience, OnlineServiceType } from '../knowledge/knowledgeTypes.js';

/** A question asked by the agent: the `ask` method's parameters, derived from its schema in the method table. */
export type AskRequest = Omit<z.input<typeof askParams>, 'interruptedDraft'>;

/** Something that failed while the answer was prepared, though the answer is still there (sources at least). */
export interface AnswerWarning {
  /**
   * `model-unavailable`, `generation-failed`, `engine-stopped`, `history-unwritable`, `no-readable-text`,
   * `remote-stream-cut` (the shared server's connection cut: the partial draft kept), `local-model-available` (the
   * shared server failed and a model is installed on this PC: the agent may choose it).
   */
  code: string;
  /** French, for the agent. */
  message: string;
}

/** A passage of a fiche, as shown under a source. */
export interface SourcePassage {
  /** The extract number the model saw (`[n]`), when it was given to the model. */
  n?: number;
  text: string;
  sectionPath: string[];
}

/** A fiche the answer draws on: its title, date, audience, link and the exact passages used. */
export interface AnswerSource {
  ficheId: string;
  title: string;
  url: string;
  /** Last update of the fiche, ISO: shown with every source. */
  date: string;
  audience: Audience;
  passages: SourcePassage[];
}

/** One `[n]` of the answer mapped to its fiche. */
export interface Citation {
  n: number;
  ficheId: string;
  title: string;
  url: string;
}

export interface RelatedQuestionLink {
  question: string;
  ficheId: string;
}

/** A téléservice, simulateur or formulaire of the fiches used. */
export interface PracticalLink {
  title: string;
  url: string;
  type: OnlineServiceType;
  /** « Téléservice », « Simulateur »… */
  typeLabel: string;
  institution?: string;
  ficheId: string;
}

export interface AskStats {
  /** Time to search the fiches, ms. */
  searchMs: number;
  /** Tokens of the prompt (estimated when the engine did not report them). */
  promptTokens: number;
  /**
   * Prompt tokens evaluated after the question was submitted; the rest was already in the model's context (the
   * system prompt, the previous turn, or a reading done while the agent typed).
   */
  evaluatedPromptTokens: number;
  /** Time from the start of the draft to its first token, ms: reading what was left of the prompt; `null` without a model. */
  readAfterSubmitMs: number | null;
  /** From the question to the first token of the answer, ms; `null` without a model. */
  ttftMs: number | null;
  /** Of `ttftMs`, the prompt's reading (evaluation), ms, when the runtime measured it apart. */
  promptReadMs?: number;
  /** Tokens of answer written. */
  completionTokens?: number;
  tokensPerSecond: number;
  totalMs: number;
}

/** Everything the agent gets for a question. */
export interface AskAnswer {
  conversationId?: string;
  /** Id of the stored draft, for feedback (used as-is / edited / discarded). */
  messageId?: string;
  question: string;
  /** The query searched (the question, or with the previous subject for a follow-up). */
  searchQuery: string;
  /** `model`: a draft written by the model; `search-only`: the best passages, labelled as search results. */
  mode: 'model' | 'search-only';
  answer: string;
  citations: Citation[];
  /** `[n]` numbers the model wrote that match no extract (should be none). */
  invalidCitations: number[];
  /** Share of `[n]` marks that point to a provided extract (1 when there are none). */
  citationValidity: number;
  /** Fiches actually cited, with the cited passages (in search-only mode: the best fiches). */
  sources: AnswerSource[];
  /** The other extracts the model read but did not cite. */
  consulted: AnswerSource[];
  relatedQuestions: RelatedQuestionLink[];
  links: PracticalLink[];
  /** The fiches answer the question poorly: the agent should check or rephrase. */
  weakRetrieval: boolean;
  stopReason: 'stop' | 'maxTokens' | 'aborted' | 'no-model';
  /** The shared server's `host[:port]` when the draft was written there (« Rédigé sur … »); absent: on this PC. */
  writtenOn?: string;
  /** French notes for the agent (no model loaded, answer cut, question shortened…). */
  notices: string[];
  /** What failed on the way (the model, the history…), the answer being whatever still worked. */
  warnings: AnswerWarning[];
  stats: AskStats;
}

/** What the agent sees while an answer is prepared, in order: status, sources, tokens, then the rest. */
export type AskEvent =
  | { type: 'status'; stage: 'loading' | 'searching' | 'writing' | 'search-only'; message: string }
  | { type: 'sources'; consulted: AnswerSource[] }
  /** After each ~100 ms step of reading the prompt: « Lecture des extraits : 60 % ». `fraction` 0–1. */
  | { type: 'reading'; fraction: number; inContext: number; total: number }
  | { type: 'token'; text: string }
  | { type: 'citations'; citations: Citation[]; sources: AnswerSource[] }
  | { type: 'related'; questions: RelatedQuestionLink[] }
  | { type: 'links'; links: PracticalLink[] }
  /**
   * The end. `completed`, or `stopped` at the agent's request — then with the partial draft, its citations and
   * sources, as saved. It carries the stored message's id, never what the events already gave.
   */
  | { type: 'done'; reason: 'completed' | 'stopped'; conversationId?: string; messageId?: string; answer?: string; citations?: Citation[]; sources?: AnswerSource[]; writtenOn?: string };
