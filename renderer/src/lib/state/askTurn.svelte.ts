/** One question and everything it brings, as it arrives: sources first, then the draft, then the rest. */
import type { AnswerSource, AskEvent, Citation, FeedbackVerdict, PracticalLink, RelatedQuestionLink } from '../../../../assistant/api.js';
import { readingLabel } from '../../../../assistant/contract/readingText.js';
import { errorMessage, isAbort, type AnswerWarning, type AskResult, type ContractStream } from '../api/client.js';

export type TurnStage = 'searching' | 'loading' | 'writing' | 'search-only' | 'done' | 'stopped' | 'failed';

/** French tokens are ~3.6 characters for Llama/Mistral tokenizers: the live rate is an estimate, the final one exact. */
const CHARS_PER_TOKEN = 3.6;

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
  /** Reopened from the history: the stored draft, without passages or audience. */
  fromHistory = $state(false);
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

  get warnings(): AnswerWarning[] {
    const list = [...(this.result?.warnings ?? [])];
    for (const notice of this.result?.notices ?? []) list.push({ code: 'notice', message: notice });
    if (this.result?.weakRetrieval) {
      list.push({ code: 'weak-retrieval', message: 'Les fiches trouvées répondent mal à la question : vérifiez la réponse ou reformulez.' });
    }
    return list;
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
    this.statusMessage =
      result.stopReason === 'aborted'
        ? 'Rédaction arrêtée : le texte déjà écrit est conservé.'
        : result.mode === 'search-only'
          ? 'Résultats de recherche (sans modèle de langue).'
          : 'Brouillon terminé.';
  }
}
