/** Recherche: the fiches without a model, searched as the agent types. */
import type { Audience, SearchResult } from '../../../../assistant/api.js';
import { errorMessage, isAbort } from '../api/client.js';
import { searchFiches } from '../services/knowledgeService.js';

export class SearchManager {
  query = $state('');
  audiences = $state<Audience[]>([]);
  result = $state<SearchResult | null>(null);
  searchedFor = $state('');
  loading = $state(false);
  error = $state<string | null>(null);
  #controller: AbortController | undefined;

  toggleAudience(audience: Audience): void {
    this.audiences = this.audiences.includes(audience) ? this.audiences.filter((a) => a !== audience) : [...this.audiences, audience];
    if (this.searchedFor) void this.run();
  }

  async run(query = this.query): Promise<void> {
    const text = query.trim();
    if (text === '') return;
    this.#controller?.abort();
    const controller = (this.#controller = new AbortController());
    this.loading = true;
    try {
      const result = await searchFiches(text, this.audiences, controller.signal);
      if (controller.signal.aborted) return;
      this.result = result;
      this.searchedFor = text;
      this.error = null;
    } catch (error) {
      if (!isAbort(error)) this.error = errorMessage(error);
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }
}
