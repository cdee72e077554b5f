/** Paramètres' shared model server: shown only when machine policy allows one. */
import type { RemoteModels, RemoteStatus } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { clearRemoteApiKey, remoteModels, remoteStatus, setRemoteApiKey, useLocalModel } from '../services/remoteService.js';

export class RemoteManager {
  status = $state<RemoteStatus | null>(null);
  models = $state<RemoteModels | null>(null);
  /** French: the server could not be reached or refused (shown under the server's address). */
  modelsError = $state<string | null>(null);
  error = $state<string | null>(null);
  keySaved = $state(false);

  /** Policy allows a shared server: Paramètres offers it. */
  get offered(): boolean {
    return this.status?.allowed ?? false;
  }

  async load(): Promise<void> {
    try {
      this.status = await remoteStatus();
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
      return;
    }
    await this.loadModels();
  }

  /** The server's models, when one is set and policy accepts it. */
  async loadModels(): Promise<void> {
    this.models = null;
    this.modelsError = null;
    if (!this.status?.host) return;
    try {
      this.models = await remoteModels();
    } catch (error) {
      this.modelsError = errorMessage(error);
    }
  }

  /** Back to the shared server after « Utiliser le modèle du poste » (the next question tries it again). */
  async backToServer(): Promise<void> {
    try {
      this.status = await useLocalModel(false);
      this.error = null;
      await this.loadModels();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async saveKey(apiKey: string): Promise<boolean> {
    try {
      await setRemoteApiKey(apiKey);
      this.keySaved = true;
      await this.load();
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    }
  }

  async clearKey(): Promise<void> {
    try {
      await clearRemoteApiKey();
      this.keySaved = false;
      await this.load();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }
}
