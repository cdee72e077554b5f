/** The library of validated replies: search, edit, delete, import, export. */
import type { ReplyEntry } from '../../../../assistant/api.js';
import type { ReplyEntryPatch } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { deleteReply, exportReplies, importReplies, listReplies, updateReply } from '../services/repliesService.js';
import { formatNumber } from '../text/format.js';

export class ReplyLibraryManager {
  entries = $state<ReplyEntry[]>([]);
  query = $state('');
  editing = $state<string | null>(null);
  error = $state<string | null>(null);
  notice = $state('');

  async load(): Promise<void> {
    try {
      this.entries = await listReplies(this.query);
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async save(id: string, patch: ReplyEntryPatch): Promise<void> {
    try {
      await updateReply(id, patch);
      this.editing = null;
      this.notice = 'Réponse modifiée.';
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async remove(entry: ReplyEntry): Promise<void> {
    try {
      await deleteReply(entry.id);
      this.notice = `Réponse de « ${entry.institution} » supprimée.`;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async exportJson(): Promise<string | null> {
    try {
      return await exportReplies();
    } catch (error) {
      this.error = errorMessage(error);
      return null;
    }
  }

  async importJson(json: string, mode: 'merge' | 'replace'): Promise<void> {
    try {
      const report = await importReplies(json, mode);
      this.notice = `Import terminé : ${formatNumber(report.added)} ajoutée(s), ${formatNumber(report.updated)} mise(s) à jour, ${formatNumber(report.total)} au total.`;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
