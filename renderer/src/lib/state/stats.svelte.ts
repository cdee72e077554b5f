/** Statistiques: the agent's own use of the drafts. */
import type { FeedbackStats } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { feedbackStats } from '../services/askService.js';

export type StatsPeriod = '30' | '90' | 'all';

export class StatsManager {
  stats = $state<FeedbackStats | null>(null);
  period = $state<StatsPeriod>('90');
  error = $state<string | null>(null);

  async load(period = this.period, now = Date.now()): Promise<void> {
    this.period = period;
    const since = period === 'all' ? undefined : new Date(now - Number(period) * 86_400_000).toISOString();
    try {
      this.stats = await feedbackStats(since);
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
