/** The status bar's figures: engine state (from `engine.status`), model and device, the knowledge base's age. */
import type { CorpusInfo, ModelListing, RemoteStatus, RuntimeStatus } from '../../../../assistant/api.js';
import { errorMessage, isAbort, type EngineState } from '../api/client.js';
import { corpusInfo } from '../services/knowledgeService.js';
import { health, listModels, modelStatus, restartEngine, watchEngine } from '../services/platformService.js';
import { remoteStatus } from '../services/remoteService.js';
import { modelLabel } from './modelPlace.js';
import { OLD_FICHE_DAYS } from '../text/format.js';

export class StatusManager {
  engine = $state<EngineState>('starting');
  engineMessage = $state<string | undefined>(undefined);
  runtime = $state<RuntimeStatus | null>(null);
  /** The shared server, when one is configured (where drafts are written). */
  remote = $state<RemoteStatus | null>(null);
  /** The model of this PC the first question would load, `null` when none. */
  localModel = $state<string | null>(null);
  corpus = $state<CorpusInfo | null | undefined>(undefined);
  /** French warnings of `health` (unreadable policy, base missing…). */
  healthWarnings = $state<string[]>([]);
  /** The ones shown on every screen: unreadable policy (locked-down mode), history kept in plain. */
  healthNotices = $state<string[]>([]);
  #stop: (() => void) | undefined;

  get corpusOld(): boolean {
    return (this.corpus?.ageDays ?? 0) > OLD_FICHE_DAYS;
  }

  /** Starts following the engine; call `dispose` to stop. */
  start(): void {
    const stream = watchEngine();
    this.#stop = () => stream.cancel();
    void (async () => {
      try {
        for await (const event of stream) {
          const wasReady = this.engine === 'ready';
          this.engine = event.state;
          this.engineMessage = event.message;
          if (event.state === 'ready' && !wasReady) void this.refresh();
        }
      } catch (error) {
        if (isAbort(error)) return;
        this.engine = 'failed';
        this.engineMessage = errorMessage(error);
      }
    })();
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const [runtime, corpus, checkup, remote] = await Promise.allSettled([modelStatus(), corpusInfo(), health(), remoteStatus()]);
    if (runtime.status === 'fulfilled') this.runtime = runtime.value;
    if (corpus.status === 'fulfilled') this.corpus = corpus.value;
    const modelPath = checkup.status === 'fulfilled' ? checkup.value.modelPath : null;
    if (checkup.status === 'fulfilled') {
      this.healthWarnings = checkup.value.warnings;
      this.healthNotices = checkup.value.notices;
    }
    if (remote.status === 'fulfilled') this.remote = remote.value;
    // Which local model waits on the disk matters only until one is loaded.
    if (this.runtime?.state !== 'ready') {
      // The file's name at once; the library (slower to read the first time) gives its proper name after.
      if (modelPath) this.localModel = modelName(modelPath, { installed: [] });
      this.localModel = await waitingModel(modelPath).catch(() => this.localModel);
    }
  }

  async restart(): Promise<void> {
    this.engine = 'restarting';
    try {
      await restartEngine();
    } catch (error) {
      this.engine = 'failed';
      this.engineMessage = errorMessage(error);
    }
  }

  dispose(): void {
    this.#stop?.();
  }
}

/** The model the engine would load first: its `runtime.modelPath`, else the newest installed model that fits (as the engine picks). */
async function waitingModel(modelPath: string | null): Promise<string | null> {
  return modelName(modelPath, await listModels());
}

export function modelName(path: string | null, listing: Pick<ModelListing, 'installed'>): string | null {
  if (path) {
    const installed = listing.installed.find((m) => m.path === path);
    return installed ? modelLabel(installed) : (path.split(/[\\/]/).pop() ?? path);
  }
  const fitting = listing.installed.filter((m) => m.fit.verdict !== 'too-large').sort((a, b) => b.addedAt.localeCompare(a.addedAt));
  return fitting[0] ? modelLabel(fitting[0]) : null;
}
