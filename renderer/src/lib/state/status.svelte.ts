/** The status bar's figures: engine state (from `engine.status`), model and device, the knowledge base's age. */
import type { CorpusInfo, RuntimeStatus } from '../../../../assistant/api.js';
import { errorMessage, isAbort, type EngineState } from '../api/client.js';
import { corpusInfo } from '../services/knowledgeService.js';
import { health, modelStatus, restartEngine, watchEngine } from '../services/platformService.js';
import { OLD_FICHE_DAYS } from '../text/format.js';

export class StatusManager {
  engine = $state<EngineState>('starting');
  engineMessage = $state<string | undefined>(undefined);
  runtime = $state<RuntimeStatus | null>(null);
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
    const [runtime, corpus, checkup] = await Promise.allSettled([modelStatus(), corpusInfo(), health()]);
    if (runtime.status === 'fulfilled') this.runtime = runtime.value;
    if (corpus.status === 'fulfilled') this.corpus = corpus.value;
    if (checkup.status === 'fulfilled') {
      this.healthWarnings = checkup.value.warnings;
      this.healthNotices = checkup.value.notices;
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
