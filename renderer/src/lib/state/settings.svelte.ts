/** Settings as resolved by the engine (policy > user > defaults), with the keys policy locks. */
import type { ResolvedSettings, SettingKey, Settings } from '../../../../assistant/api.js';
import { errorMessage } from '../api/client.js';
import { getSettings, setSetting } from '../services/platformService.js';

export class SettingsManager {
  resolved = $state<ResolvedSettings | null>(null);
  error = $state<string | null>(null);
  /** Key being saved, and the last saved one (for the « Enregistré » note). */
  saving = $state<SettingKey | null>(null);
  saved = $state<SettingKey | null>(null);

  get values(): Settings | undefined {
    return this.resolved?.values;
  }

  get theme(): 'etat' | 'neutre' {
    return this.resolved?.values['interface.theme'] ?? 'etat';
  }

  /** The deploying State service's name: only then is the bloc marque shown. */
  get serviceName(): string | null {
    return this.resolved?.values['interface.serviceName'] ?? null;
  }

  isLocked(key: SettingKey): boolean {
    return this.resolved?.locked.includes(key) ?? false;
  }

  async load(): Promise<void> {
    try {
      this.resolved = await getSettings();
      this.error = null;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  async set<K extends SettingKey>(key: K, value: Settings[K]): Promise<boolean> {
    if (this.isLocked(key)) return false;
    this.saving = key;
    try {
      this.resolved = await setSetting(key, value);
      this.error = null;
      this.saved = key;
      return true;
    } catch (error) {
      this.error = errorMessage(error);
      return false;
    } finally {
      this.saving = null;
    }
  }
}
