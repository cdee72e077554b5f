/** One question and everything it brings, as it arrives: sources first, then the draft, then the rest. */
import type { AnswerSource, AskEvent, Citation, FeedbackVerdict, PracticalLink, RelatedQuestionLink } from '../../../../assistant/api.js';
import { NO_MODEL_NOTICE, SEARCH_ONLY_NOTICE, STOPPED_NOTICE } from '../../../../assistant/contract/answerNotices.js';
import { readingLabel } from '../../../../assistant/contract/readingText.js';
import { errorMessage, isAbort, type AnswerWarning, type AskResult, type ContractStream } from '../api/client.js';

export type TurnStage = 'searching' | 'loading' | 'writing' | 'search-only' | 'done' | 'stopped' | 'failed';

/** French tokens are ~3.6 characters for Llama/Mistral tokenizers: the live rate is an estimate, the final one exact. */
const CHARS_PER_TOKEN = 3.6;
/** Engine notices the turn shows its own way: the « Arrêté » badge, the search-only note. */
const SAID_ELSEWHERE = new Set([STOPPED_NOTICE, SEARCH_ONLY_NOTICE, NO_MODEL_NOTICE]);

let nextId = 0;

export class AskTurn {
  readonly id = `q${++nextId}`;
  readonly question: string;
  /** `Date.now()` when the agent asked: the feedback's time to copy starts here. */
  readonly askedAt: number;

  stage = $state<TurnStage>('searching');
  statusMessage = $state('Recherche des fiches…');
  /** The extracts the model reads, from the `sources` event (before the first token). */
  consulted = $state<AnswerSource[]>([]);
  text = $state('');
  citations = $state<Citation[]>([]);
  /** Fiches actually cited. */
  sources = $state<AnswerSource[]>([]);
  related = $state<RelatedQuestionLink[]>([]);
  links = $state<PracticalLink[]>([]);
  result = $state<AskResult | null>(null);
  error = $state<string | null>(null);
  /** The agent's edited text, once edited. */
  edited = $state<string | null>(null);
  copiedAfterSeconds = $state<number | null>(null);
  verdict = $state<FeedbackVerdict | null>(null);
  /** Reopened from the history: the stored draft and its sources (passages and audience when the line has them). */
  fromHistory = $state(false);
  /** Fiches of a history line written before audiences were kept: their cards show none. */
  audienceUnknown = new Set<string>();
  /** Share of the prompt in the model's context while it is read (0–1), `null` when not reading. */
  readingFraction = $state<number | null>(null);
  firstTokenAt = $state<number | null>(null);
  lastTokenAt = $state<number | null>(null);

  #stream: ContractStream<AskEvent, AskResult> | undefined;

  constructor(question: string, now = Date.now()) {
    this.question = question;
    this.askedAt = now;
  }

  get streaming(): boolean {
    return this.stage === 'searching' || this.stage === 'loading' || this.stage === 'writing';
  }

  /** What the agent copies and sends: the edit if any, else the draft. */
  get finalText(): string {
    return this.edited ?? this.text;
  }

  /**
   * What failed or needs checking, once each: the engine's notices already say when retrieval is weak, and a stop
   * asked by the agent is said by the « Arrêté » badge and the status line, not a third time in a box.
   */
  get warnings(): AnswerWarning[] {
    const list = [...(this.result?.warnings ?? [])];
    for (const notice of this.result?.notices ?? []) {
      if (!SAID_ELSEWHERE.has(notice) && !list.some((w) => w.message === notice)) list.push({ code: 'notice', message: notice });
    }
    return list;
  }

  /** Under a search-only answer: what it is, and where to add a model when none is installed. */
  get searchOnlyNote(): string | null {
    if (this.result?.mode !== 'search-only') return null;
    return this.result.notices.includes(NO_MODEL_NOTICE)
      ? "Meilleurs passages des fiches, sans rédaction : aucun modèle de langue n'est installé sur ce poste (Paramètres › Modèle de langue pour en ajouter un)."
      : 'Meilleurs passages des fiches, sans rédaction par un modèle.';
  }

  /** Cited fiches once known, else every fiche found (shown before the model has read its prompt). */
  get shownSources(): AnswerSource[] {
    return this.sources.length > 0 ? this.sources : this.consulted;
  }

  /** Fiches read but not cited (folded under the cards). */
  get uncited(): AnswerSource[] {
    if (this.sources.length === 0) return [];
    const cited = new Set(this.sources.map((s) => s.ficheId));
    const seen = new Set<string>();
    return [...(this.result?.consulted ?? this.consulted)].filter((s) => !cited.has(s.ficheId) && !seen.has(s.ficheId) && seen.add(s.ficheId));
  }

  /** The fiche behind an `[n]`: from the citations, else from the numbered extracts. */
  ficheOf(n: number): { ficheId: string; title: string } | undefined {
    const cited = this.citations.find((c) => c.n === n);
    if (cited) return cited;
    const source = [...this.sources, ...this.consulted].find((s) => s.passages.some((p) => p.n === n));
    return source ? { ficheId: source.ficheId, title: source.title } : undefined;
  }

  /** Live rate while writing, then the engine's measured one. */
  get tokensPerSecond(): number | null {
    if (this.result?.stats && this.result.mode === 'model') return this.result.stats.tokensPerSecond;
    if (this.firstTokenAt === null || this.lastTokenAt === null || this.lastTokenAt - this.firstTokenAt < 500) return null;
    return this.text.length / CHARS_PER_TOKEN / ((this.lastTokenAt - this.firstTokenAt) / 1000);
  }

  /** Reads the stream to its end; never throws (an error becomes `error`). */
  async run(stream: ContractStream<AskEvent, AskResult>): Promise<void> {
    this.#stream = stream;
    try {
      for await (const event of stream) this.apply(event);
      this.finish(await stream.result);
    } catch (error) {
      if (isAbort(error)) {
        this.stage = 'stopped';
        return;
      }
      this.error = errorMessage(error);
      this.stage = 'failed';
    } finally {
      this.#stream = undefined;
    }
  }

  /** « Arrêter »: the engine ends the draft; what was written stays. */
  stop(): void {
    if (!this.streaming) return;
    this.statusMessage = 'Arrêt demandé…';
    this.#stream?.cancel();
  }

  apply(event: AskEvent): void {
    switch (event.type) {
      case 'status':
        this.statusMessage = event.message;
        if (event.stage !== 'search-only') this.stage = event.stage;
        break;
      case 'sources':
        this.consulted = event.consulted;
        break;
      case 'reading':
        this.readingFraction = event.fraction;
        if (!this.text) this.statusMessage = readingLabel(event.fraction);
        break;
      case 'token': {
        const now = Date.now();
        if (this.firstTokenAt === null) this.statusMessage = 'Rédaction du brouillon…';
        this.firstTokenAt ??= now;
        this.lastTokenAt = now;
        this.stage = 'writing';
        this.readingFraction = null;
        this.text += event.text;
        break;
      }
      case 'citations':
        this.citations = event.citations;
        this.sources = event.sources;
        break;
      case 'related':
        this.related = event.questions;
        break;
      case 'links':
        this.links = event.links;
        break;
      case 'done':
        // The final answer is read from `result`.
        break;
    }
  }

  finish(result: AskResult): void {
    this.result = result;
    this.text = result.answer;
    this.citations = result.citations;
    this.sources = result.sources;
    if (this.consulted.length === 0) this.consulted = [...result.sources, ...result.consulted];
    this.related = result.relatedQuestions;
    this.links = result.links;
    this.stage = result.stopReason === 'aborted' ? 'stopped' : 'done';
    const interrupted = result.warnings.some((w) => w.code === 'engine-stopped' || w.code === 'remote-stream-cut');
    this.statusMessage =
      result.stopReason === 'aborted'
        ? interrupted ? 'Rédaction interrompue : le texte déjà écrit est conservé.' : 'Rédaction arrêtée à votre demande : le texte déjà écrit est conservé.'
        : result.mode === 'search-only'
          ? 'Résultats de recherche (sans modèle de langue).'
          : 'Brouillon terminé.';
  }
}
