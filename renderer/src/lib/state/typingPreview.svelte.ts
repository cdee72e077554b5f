/**
 * Search as you type: after each pause in the typing (~300 ms), the fiches the question would be answered from; when
 * the extracts stay the same over two pauses (or for a moment after one), the engine reads them into the model ahead
 * of Ctrl+Entrée. It costs the agent nothing: a newer text cancels the older search, and the engine drops any reading
 * the moment the question is asked.
 */
import type { AskPreparation, PrepareEvent, PreparedFiche, ReadingState } from '../../../../assistant/api.js';
import { isAbort, type ContractStream } from '../api/client.js';
import { prepareQuestion, type PrepareRequest } from '../services/askService.js';

/** Pause in the typing before a search, ms. */
export const TYPING_PAUSE_MS = 300;
/** With no more typing, the extracts count as stable after this, ms. */
export const STABLE_MS = 700;
/** Shorter texts are not searched: a word or two finds anything. */
const MIN_CHARS = 8;

type Context = Omit<PrepareRequest, 'question' | 'read'>;

export class TypingPreview {
  fiches = $state<PreparedFiche[]>([]);
  /** The text the fiches were found for. */
  searchedFor = $state('');
  /** Share of the extracts in the model's context, 0–1, once a reading started; `null` before. */
  readingFraction = $state<number | null>(null);
  readingState = $state<ReadingState | null>(null);

  #timer: ReturnType<typeof setTimeout> | undefined;
  #stable: ReturnType<typeof setTimeout> | undefined;
  #search: ContractStream<PrepareEvent, AskPreparation> | undefined;
  #reading: ContractStream<PrepareEvent, AskPreparation> | undefined;
  #lastExtracts = '';
  #readExtracts = '';
  #context: Context = {};

  /** The text changed: searched once the agent pauses. */
  update(text: string, context: Context): void {
    this.#context = context;
    clearTimeout(this.#timer);
    clearTimeout(this.#stable);
    const question = text.trim();
    if (question.length < MIN_CHARS) {
      this.clear();
      return;
    }
    this.#timer = setTimeout(() => void this.#searchNow(question), TYPING_PAUSE_MS);
  }

  /** The question was asked or dropped: nothing more to search or read. */
  clear(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#stable);
    this.#search?.cancel();
    this.#search = undefined;
    this.fiches = [];
    this.searchedFor = '';
    this.#lastExtracts = '';
  }

  /** The question is asked: the engine stops any reading itself (keeping what it read); the display resets. */
  asked(): void {
    this.clear();
    this.#reading = undefined;
    this.#readExtracts = '';
    this.readingFraction = null;
    this.readingState = null;
  }

  async #searchNow(question: string): Promise<void> {
    this.#search?.cancel();
    const stream = prepareQuestion({ ...this.#context, question });
    this.#search = stream;
    try {
      const result = await stream.result;
      if (this.#search !== stream) return;
      this.fiches = result.fiches;
      this.searchedFor = question;
      const key = result.extracts.join('|');
      if (key !== this.#readExtracts) {
        // What was read (or is being read) is no longer what this text would use: stop showing it as ready.
        this.#reading = undefined;
        this.#readExtracts = '';
        this.readingFraction = null;
        this.readingState = null;
      }
      const stable = key !== '' && key === this.#lastExtracts;
      this.#lastExtracts = key;
      if (stable) this.#read(question, key);
      else if (key !== '') this.#stable = setTimeout(() => this.#read(question, key), STABLE_MS);
    } catch (error) {
      if (!isAbort(error) && this.#search === stream) this.fiches = [];
    }
  }

  /** Reads the extracts ahead, once per set of extracts. */
  #read(question: string, key: string): void {
    if (key === this.#readExtracts) return;
    this.#readExtracts = key;
    this.readingFraction = 0;
    this.readingState = null;
    const stream = prepareQuestion({ ...this.#context, question, read: true });
    this.#reading = stream;
    void (async () => {
      try {
        for await (const event of stream) {
          if (this.#reading !== stream) return;
          if (event.type === 'reading') this.readingFraction = event.fraction;
        }
        const result = await stream.result;
        if (this.#reading !== stream) return;
        this.readingState = result.reading.state;
        if (result.reading.state !== 'read') this.readingFraction = result.reading.prefixTokens > 0 ? (result.reading.reusedTokens + result.reading.readTokens) / result.reading.prefixTokens : null;
        else this.readingFraction = 1;
      } catch {
        if (this.#reading === stream) this.readingFraction = null;
      }
    })();
  }
}
