/** The offline fiche reader. */
import type { Fiche } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { getFiche } from '../services/knowledgeService.js';

export class FicheManager {
  fiche = $state<Fiche | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  #cache = new Map<string, Fiche>();

  async open(id: string): Promise<void> {
    if (this.fiche?.id === id) return;
    const cached = this.#cache.get(id);
    if (cached) {
      this.fiche = cached;
      return;
    }
    this.loading = true;
    this.error = null;
    try {
      const fiche = await getFiche(id);
      this.#cache.set(id, fiche);
      this.fiche = fiche;
    } catch (error) {
      this.fiche = null;
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }
}
