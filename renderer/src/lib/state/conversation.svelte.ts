/** The conversation on the Question screen: its turns, follow-ups, stop, regenerate, feedback, reopen from history. */
import type { AnswerSource, Audience, Conversation, FeedbackVerdict, MessageSource } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { recordFeedback, startAsk } from '../services/askService.js';
import { useLocalModel as switchToLocalModel } from '../services/remoteService.js';
import { toPlainText } from '../text/plainText.js';
import { AskTurn } from './askTurn.svelte.js';

export interface AskPreferences {
  /** `false`: search only even when a model is loaded. */
  useModel: boolean;
}

/** Told when the agent changed where drafts are written (the status bar refreshes). */
export type RuntimeChanged = () => void;

export class ConversationManager {
  turns = $state<AskTurn[]>([]);
  conversationId = $state<string | undefined>(undefined);
  /** A note about the last feedback or copy, announced politely. */
  notice = $state('');
  draftQuestion = $state('');

  constructor(
    private readonly preferences: () => AskPreferences = () => ({ useModel: true }),
    private readonly runtimeChanged: RuntimeChanged = () => {},
  ) {}

  get current(): AskTurn | undefined {
    return this.turns.at(-1);
  }

  get busy(): boolean {
    return this.current?.streaming ?? false;
  }

  /** Asks a question (a follow-up when a conversation is open). Ignored while a draft is being written. */
  async ask(question: string): Promise<void> {
    const text = question.trim();
    if (text === '' || this.busy) return;
    this.draftQuestion = '';
    const turn = new AskTurn(text);
    this.turns.push(turn);
    await this.#run(this.turns.at(-1)!);
  }

  /** Asks the last question again in place. */
  async regenerate(): Promise<void> {
    const last = this.current;
    if (!last || last.streaming) return;
    const turn = new AskTurn(last.question);
    this.turns[this.turns.length - 1] = turn;
    await this.#run(this.turns.at(-1)!, Math.floor(Math.random() * 1_000_000));
  }

  stop(): void {
    this.current?.stop();
  }

  newConversation(): void {
    this.stop();
    this.turns = [];
    this.conversationId = undefined;
    this.notice = '';
  }

  async #run(turn: AskTurn, seed?: number): Promise<void> {
    const stream = startAsk({
      question: turn.question,
      ...(this.conversationId ? { conversationId: this.conversationId } : {}),
      ...(this.preferences().useModel ? {} : { useModel: false }),
      ...(seed === undefined ? {} : { seed }),
    });
    await turn.run(stream);
    if (turn.result?.conversationId) this.conversationId = turn.result.conversationId;
  }

  /** Copies the draft as plain text; the first copy measures the time from question to copy. */
  async copy(turn: AskTurn, write: (text: string) => Promise<void> = writeClipboard): Promise<void> {
    const text = toPlainText(turn.finalText, turn.sources);
    try {
      await write(text);
    } catch {
      this.notice = 'La copie a échoué : sélectionnez le texte et copiez-le avec Ctrl+C.';
      return;
    }
    turn.copiedAfterSeconds ??= Math.max(0, (Date.now() - turn.askedAt) / 1000);
    this.notice = 'Brouillon copié en texte brut. Indiquez ci-dessous ce que vous en avez fait.';
  }

  /** Records « utilisée telle quelle / modifiée / écartée » for a draft. */
  async feedback(turn: AskTurn, verdict: FeedbackVerdict): Promise<void> {
    const conversationId = turn.result?.conversationId ?? this.conversationId;
    const messageId = turn.result?.messageId;
    if (!conversationId || !messageId) {
      this.notice = "Ce brouillon n'a pas été enregistré dans l'historique : le retour ne peut pas être noté.";
      return;
    }
    try {
      await recordFeedback({
        conversationId,
        messageId,
        verdict,
        ...(turn.copiedAfterSeconds === null ? {} : { secondsToCopy: Math.round(turn.copiedAfterSeconds * 10) / 10 }),
      });
      turn.verdict = verdict;
      this.notice = 'Merci, votre retour est enregistré.';
    } catch (error) {
      this.notice = errorMessage(error);
    }
  }

  /**
   * « Utiliser le modèle du poste »: the shared server did not answer and a model is installed here. The agent chose
   * it, so this session writes on this PC (the saved setting is kept: the next launch tries the server again) and the
   * last question is asked again in place; its fiches come back at once from the search.
   */
  async useLocalModel(): Promise<void> {
    if (this.busy) return;
    try {
      await switchToLocalModel(true);
    } catch (error) {
      this.notice = errorMessage(error);
      return;
    }
    this.runtimeChanged();
    this.notice = 'Les brouillons de cette session sont rédigés par le modèle de ce poste.';
    await this.regenerate();
  }

  /** Shows a stored conversation; the next question continues it. */
  reopen(conversation: Conversation): void {
    this.stop();
    const turns: AskTurn[] = [];
    for (const message of conversation.messages) {
      if (message.role === 'agent') {
        turns.push(new AskTurn(message.text, Date.parse(message.createdAt)));
        continue;
      }
      const turn = turns.at(-1);
      if (!turn) continue;
      const sources = (message.sources ?? []).map(shownSource);
      turn.text = message.text;
      turn.sources = sources;
      turn.consulted = [...sources, ...(message.consulted ?? []).map(shownSource)];
      turn.audienceUnknown = new Set([...(message.sources ?? []), ...(message.consulted ?? [])].filter((s) => !s.audience).map((s) => s.ficheId));
      turn.citations = (message.citations ?? []).map((c) => {
        const source = sources.find((s) => s.ficheId === c.ficheId);
        return { n: c.n, ficheId: c.ficheId, title: source?.title ?? c.ficheId, url: source?.url ?? '' };
      });
      turn.stage = message.stopped ? 'stopped' : 'done';
      turn.fromHistory = true;
      turn.statusMessage = `Brouillon de l'historique${message.stopped ? ', arrêté avant la fin' : ''}${message.writtenOn ? `, rédigé sur ${message.writtenOn}` : ''}.`;
    }
    this.turns = turns;
    this.conversationId = conversation.id;
  }
}

/** A stored source as its card shows it; a line written before audiences and passages were kept has neither. */
function shownSource(source: MessageSource): AnswerSource {
  return { ficheId: source.ficheId, title: source.title, url: source.url, date: source.date, audience: (source.audience ?? '') as Audience, passages: source.passages ?? [] };
}

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}
