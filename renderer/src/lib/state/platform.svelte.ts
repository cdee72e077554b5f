/** Paramètres' figures: models with their fit, hardware, corpus import with progress. */
import type { ImportReport, ModelListing } from '../../../../assistant/api.js';
import type { HardwareInfo } from '../../../../assistant/api.js';
import { errorMessage, isAbort } from '../api/client.js';
import { importCorpus } from '../services/knowledgeService.js';
import { addModel, hardwareInfo, listModels } from '../services/platformService.js';

export class PlatformManager {
  models = $state<ModelListing | null>(null);
  hardware = $state<HardwareInfo | null>(null);
  error = $state<string | null>(null);
  importing = $state(false);
  progress = $state<{ label: string; done: number; total: number } | null>(null);
  report = $state<ImportReport | null>(null);
  importError = $state<string | null>(null);
  adding = $state(false);
  addError = $state<string | null>(null);

  async load(): Promise<void> {
    const [models, hardware] = await Promise.allSettled([listModels(), hardwareInfo()]);
    if (models.status === 'fulfilled') this.models = models.value;
    else this.error = errorMessage(models.reason);
    if (hardware.status === 'fulfilled') this.hardware = hardware.value;
  }

  /**
   * Adds a GGUF file of this PC to the library (the engine reads and checks its header) and returns its path to use
   * it; `null` with a French message in `addError` when the file is missing or not a model.
   */
  async addModelFile(path: string): Promise<string | null> {
    if (path.trim() === '' || this.adding) return null;
    this.adding = true;
    this.addError = null;
    try {
      const added = await addModel(path.trim());
      this.models = await listModels();
      return added.model.path;
    } catch (error) {
      this.addError = errorMessage(error);
      return null;
    } finally {
      this.adding = false;
    }
  }

  /** Imports a DILA zip (or folder); true when the new base is in place. */
  async importFrom(path: string): Promise<boolean> {
    if (path.trim() === '' || this.importing) return false;
    this.importing = true;
    this.importError = null;
    this.report = null;
    this.progress = { label: 'Lecture du fichier…', done: 0, total: 0 };
    const stream = importCorpus(path.trim());
    try {
      for await (const event of stream) this.progress = { label: event.label, done: event.done, total: event.total };
      this.report = await stream.result;
      return true;
    } catch (error) {
      if (!isAbort(error)) this.importError = errorMessage(error);
      return false;
    } finally {
      this.importing = false;
    }
  }
}
