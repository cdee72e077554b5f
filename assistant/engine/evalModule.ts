import { energyBetween, readEnergy } from '../../native-models/energyMeter.js';
import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { AskService } from '../ask/askService.js';
import type { EngineModule } from '../contract/engineContract.js';
import type { EvalAnswer } from '../eval/evalAnswer.js';
import type { Settings } from '../settings/settingsSchema.js';
import { ensureModel } from './modelGate.js';

export interface EvalModuleDeps {
  ask: AskService;
  runtime: ModelRuntime;
  settings: Settings;
  /** Where the processor's energy counters are (default `/sys/class/powercap`). */
  powercapRoot?: string;
}

/** `eval.answer`: one question of `guichet eval`, answered like `ask` but kept out of the agent's history. */
export function evalModule(deps: EvalModuleDeps): EngineModule<'eval.answer'> {
  return {
    handlers: {
      'eval.answer': async ({ question, modelPath, k, maxTokens, seed, audiences }, { signal, emit }): Promise<EvalAnswer> => {
        await ensureModel(deps.runtime, deps.settings, modelPath, { signal, onLoading: (message) => emit({ type: 'status', message }) });
        const cpuBefore = process.cpuUsage();
        const energyBefore = await readEnergy(deps.powercapRoot);
        const started = performance.now();
        const answer = await deps.ask.ask(
          {
            question,
            ...(modelPath ? { modelPath } : {}),
            ...(k !== undefined ? { k } : {}),
            ...(maxTokens !== undefined ? { maxTokens } : {}),
            ...(seed !== undefined ? { seed } : {}),
            ...(audiences ? { audiences } : {}),
          },
          [],
          { signal },
        );
        const wallMs = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        const raplJoules = energyBetween(energyBefore, await readEnergy(deps.powercapRoot));
        const extracts = [...answer.sources, ...answer.consulted]
          .flatMap((source) => source.passages.flatMap((passage) => (passage.n === undefined ? [] : [{ n: passage.n, ficheId: source.ficheId }])))
          .sort((a, b) => a.n - b.n);
        return {
          mode: answer.mode,
          answer: answer.answer,
          stopReason: answer.stopReason,
          extracts,
          retrieved: [...new Set([...answer.sources, ...answer.consulted].map((s) => s.ficheId))],
          stats: answer.stats,
          engine: {
            cpuMs: (cpu.user + cpu.system) / 1000,
            raplJoules,
            maxRssBytes: Math.max(process.resourceUsage().maxRSS * 1024, process.memoryUsage().rss),
            wallMs,
          },
          warnings: answer.warnings.map((w) => w.code),
        };
      },
    },
  };
}
