import type { ConversationStore } from './conversationStore.js';

/** What retention uses of the store: its pages of summaries, and delete. */
export type RetainedStore = Pick<ConversationStore, 'list' | 'delete'>;

const PAGE = 200;

/**
 * Deletes the conversations whose last message is older than `days` (policy `history.retentionDays`), at the engine's
 * start. One that cannot be deleted is reported and left, never a reason not to start. Returns how many went.
 */
export async function applyHistoryRetention(store: RetainedStore, days: number, log: (line: string) => void = () => {}, now: Date = new Date()): Promise<number> {
  const cutoff = now.getTime() - days * 86_400_000;
  const old: string[] = [];
  try {
    for (let offset = 0; ; offset += PAGE) {
      const page = await store.list({ limit: PAGE, offset });
      for (const summary of page.conversations) if (Date.parse(summary.updatedAt) < cutoff) old.push(summary.id);
      if (offset + PAGE >= page.total) break;
    }
  } catch (error) {
    log(`[moteur] durée de conservation de l’historique non appliquée : ${error instanceof Error ? error.message : String(error)}`);
    return 0;
  }
  let deleted = 0;
  for (const id of old) {
    try {
      await store.delete(id);
      deleted++;
    } catch (error) {
      log(`[moteur] conversation ${id} trop ancienne mais non supprimée : ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (deleted > 0) log(`[moteur] ${deleted.toLocaleString('fr-FR')} conversation(s) de plus de ${days.toLocaleString('fr-FR')} jours supprimée(s) (durée de conservation fixée par la politique).`);
  return deleted;
}
