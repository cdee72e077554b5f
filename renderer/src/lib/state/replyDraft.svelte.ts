/** Réponse aux usagers: a testimony in, a reply draft out (streamed), edited, copied, added to the library. */
import type { ReplyDraft } from '../../../../assistant/api.js';
import type { ReplyTone } from '../../../../assistant/api.js';
import { errorMessage, isAbort, type ContractStream, type ReplyEvent } from '../api/client.js';
import { addReply, startReplyDraft } from '../services/repliesService.js';

export class ReplyDraftManager {
  testimony = $state('');
  institution = $state('');
  tone = $state<ReplyTone>('neutre');
  status = $state('');
  text = $state('');
  draft = $state<ReplyDraft | null>(null);
  writing = $state(false);
  error = $state<string | null>(null);
  notice = $state('');
  #stream: ContractStream<ReplyEvent, ReplyDraft> | undefined;

  async prepare(): Promise<void> {
    if (this.testimony.trim() === '' || this.writing) return;
    this.writing = true;
    this.error = null;
    this.notice = '';
    this.text = '';
    this.draft = null;
    this.status = 'Préparation de la réponse…';
    const stream = (this.#stream = startReplyDraft({ testimony: this.testimony, tone: this.tone, ...(this.institution.trim() ? { institution: this.institution.trim() } : {}) }));
    try {
      for await (const event of stream) {
        if (event.type === 'status') this.status = event.message;
        else this.text += event.text;
      }
      const draft = await stream.result;
      this.draft = draft;
      this.text = draft.reply;
      this.status = draft.mode === 'model' ? 'Brouillon prêt : relisez-le avant de le publier.' : 'Aucun modèle chargé : voici les réponses validées les plus proches.';
    } catch (error) {
      if (!isAbort(error)) this.error = errorMessage(error);
    } finally {
      this.writing = false;
      this.#stream = undefined;
    }
  }

  stop(): void {
    this.#stream?.cancel();
  }

  /** The reply without the AI mention, as the library stores it. */
  get replyWithoutMention(): string {
    const mention = this.draft?.mention;
    return (mention ? this.text.replace(mention, '') : this.text).trim();
  }

  async addToLibrary(): Promise<boolean> {
    const institution = this.institution.trim();
    if (!institution) {
      this.error = "Indiquez l'institution qui répond pour ajouter cette réponse à la bibliothèque.";
      return false;
    }
    try {
      await addReply({ institution, tone: this.tone, testimony: this.testimony, reply: this.replyWithoutMention });
      this.notice = 'Réponse ajoutée à la bibliothèque des réponses validées.';
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    }
  }
}
