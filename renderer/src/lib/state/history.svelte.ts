/** Historique: the conversations kept on this PC, a page at a time. */
import type { ConversationSummary } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { deleteConversation, exportConversation, getConversation, listConversations } from '../services/historyService.js';
import type { ConversationManager } from './conversation.svelte.js';

export const PAGE_SIZE = 20;

export class HistoryManager {
  conversations = $state<ConversationSummary[]>([]);
  total = $state(0);
  page = $state(0);
  filter = $state('');
  loading = $state(false);
  error = $state<string | null>(null);
  notice = $state('');

  constructor(private readonly conversation: ConversationManager) {}

  get shown(): ConversationSummary[] {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    return this.conversations.filter((c) => words.every((w) => c.title.toLowerCase().includes(w)));
  }

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / PAGE_SIZE));
  }

  async load(page = this.page): Promise<void> {
    this.loading = true;
    try {
      const { total, conversations } = await listConversations(PAGE_SIZE, page * PAGE_SIZE);
      this.total = total;
      this.conversations = conversations;
      this.page = page;
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  /** Loads a conversation into the Question screen; true when done. */
  async reopen(id: string): Promise<boolean> {
    try {
      this.conversation.reopen(await getConversation(id));
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    }
  }

  async remove(summary: ConversationSummary): Promise<void> {
    try {
      await deleteConversation(summary.id);
      this.notice = `Conversation « ${summary.title} » supprimée.`;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** The export's text, for the screen to offer as a download. */
  async export(summary: ConversationSummary, format: 'markdown' | 'json'): Promise<string | null> {
    try {
      return await exportConversation(summary.id, format);
    } catch (error) {
      this.error = errorMessage(error);
      return null;
    }
  }
}
