import type { ModelRuntime, ReadAheadResult } from '../../native-models/modelRuntime.js';
import type { PowerSource } from '../../native-models/powerSource.js';
import type { SearchHit } from '../knowledge/knowledgeTypes.js';
import type { Settings } from '../settings/settingsSchema.js';
import { systemBeginning } from './askPrompt.js';
import type { AskService } from './askService.js';
import type { AskRequest } from './askTypes.js';
import type { Extract } from './extracts.js';
import type { PreviousQuestion } from './followUp.js';
import type { AskPreparation, PrepareEvent, PreparedFiche, ReadingState } from './readAheadTypes.js';

export interface ReadAheadServiceDeps {
  ask: AskService;
  runtime: Pick<ModelRuntime, 'status' | 'readAhead'>;
  /** Live settings: `runtime.readAhead`, `runtime.modelPath`. */
  settings: Settings;
  power: PowerSource;
}

/** What `question.prepare` is asked. */
export type PrepareRequest = Pick<AskRequest, 'question' | 'conversationId' | 'useModel' | 'modelPath' | 'k' | 'audiences' | 'pinned' | 'excluded'> & { read?: boolean };

/**
 * The question as the agent types it: which fiches it would be answered from (search as you type) and, when asked,
 * a speculative reading of the prompt's beginning into the loaded model's context, so that Ctrl+Entrée leaves only
 * the question to read. Never in the way: it never loads a model, is off by setting, on battery and without a loaded
 * model, and the runtime makes it yield to any real request within one reading step.
 */
export class ReadAheadService {
  constructor(private readonly deps: ReadAheadServiceDeps) {}

  async prepare(request: PrepareRequest, history: readonly PreviousQuestion[], control: { signal?: AbortSignal; emit?: (event: PrepareEvent) => void } = {}): Promise<AskPreparation> {
    const emit = (event: PrepareEvent) => {
      try {
        control.emit?.(event);
      } catch {
        // The display's failure is not the reading's.
      }
    };
    const preview = await this.deps.ask.preview(request, history, control.signal);
    const extracts = preview.extracts ?? [];
    const fiches = fichesOf(preview.result.hits, extracts);
    const ids = extracts.map((extract) => extract.chunkId);
    emit({ type: 'fiches', fiches, extracts: ids });
    const gate = await this.gate(request, preview.beginning !== undefined);
    if (gate !== undefined || !preview.beginning || !this.deps.runtime.readAhead) return { fiches, extracts: ids, reading: idle(gate ?? 'unsupported') };
    const reading = await this.deps.runtime.readAhead(preview.beginning, {
      ...(control.signal ? { signal: control.signal } : {}),
      onProgress: (progress) => emit({ type: 'reading', fraction: progress.total > 0 ? Math.min(1, progress.inContext / progress.total) : 1, ...progress }),
    });
    return { fiches, extracts: ids, reading };
  }

  /**
   * Reads the fixed system prompt into the loaded model (called once a model is loaded, before any typing): the first
   * question then reads only its extracts and itself. The same gates as a reading while typing; it yields to any real
   * request as they do.
   */
  async readSystemPrompt(): Promise<AskPreparation['reading']> {
    const gate = await this.gate({ question: '', read: true }, true);
    if (gate !== undefined || !this.deps.runtime.readAhead) return idle(gate ?? 'unsupported');
    return this.deps.runtime.readAhead(systemBeginning());
  }

  /** Why no reading now, if any. */
  private async gate(request: PrepareRequest, modelReady: boolean): Promise<ReadingState | undefined> {
    if (!request.read) return 'not-asked';
    if (!this.deps.settings['runtime.readAhead']) return 'off';
    if (request.useModel === false || !modelReady) return 'no-model';
    if (!this.deps.runtime.readAhead) return 'unsupported';
    // The question would be answered by another model than the loaded one: reading into this one would be wasted.
    const status = this.deps.runtime.status();
    const wanted = request.modelPath ?? this.deps.settings['runtime.modelPath'];
    if (status.state !== 'ready' || (wanted && wanted !== status.model.path)) return 'no-model';
    if (await this.deps.power.onBattery()) return 'battery';
    return undefined;
  }
}

function idle(state: ReadingState): AskPreparation['reading'] {
  return { state, prefixTokens: 0, reusedTokens: 0, readTokens: 0, steps: 0, stepsAfterYield: 0, readingMs: 0 } satisfies Omit<ReadAheadResult, 'state'> & { state: ReadingState };
}

/** The fiches of the extracts, in order; without a model, the fiches found with their best passages' sections. */
function fichesOf(hits: readonly SearchHit[], extracts: readonly Extract[]): PreparedFiche[] {
  const order = extracts.length > 0 ? [...new Set(extracts.map((extract) => extract.ficheId))] : hits.slice(0, 3).map((hit) => hit.ficheId);
  return order.flatMap((id) => {
    const hit = hits.find((candidate) => candidate.ficheId === id);
    if (!hit) return [];
    const sections = extracts.length > 0
      ? extracts.filter((extract) => extract.ficheId === id).map((extract) => extract.sectionPath.join(' › '))
      : hit.passages.map((passage) => passage.sectionPath.join(' › '));
    return [{ ficheId: id, title: hit.title, url: hit.url, date: hit.date, audience: hit.audience, sections: [...new Set(sections.filter(Boolean))] }];
  });
}
