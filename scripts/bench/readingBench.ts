/**
 * Reading a long prompt (the question's extracts): what reading it in cancellable steps costs against one batch, and
 * how soon the engine is free again when the agent cancels during the reading.
 */
import type { createDirectRuntime } from '../../assistant/engine/directRuntime.js';
import type { EngineHost } from '../../assistant/host/engineHost.js';
import { type BenchSection, median } from './benchReport.js';

const ROUNDS = 5;
let counter = 0;

/** About 1,700 tokens on the tiny model, never read before (a fresh prefix each time). */
function longRequest(maxTokens: number) {
  counter += 1;
  return { messages: [{ role: 'user' as const, text: `Story ${counter}. ${'Once upon a time a little cat played in the garden with a dog. '.repeat(75)}` }], maxTokens };
}

export async function readingBench(direct: ReturnType<typeof createDirectRuntime>, host: EngineHost): Promise<BenchSection> {
  const oneBatch: number[] = [];
  const steps: number[] = [];
  const freeAfterCancel: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    await direct.generate(longRequest(1));
    oneBatch.push(performance.now() - started);
    started = performance.now();
    await direct.generate(longRequest(1), { signal: new AbortController().signal });
    steps.push(performance.now() - started);

    const controller = new AbortController();
    const reading = host.call('generate', longRequest(50), { signal: controller.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await reading;
    started = performance.now();
    await host.call('generate', { messages: [{ role: 'user', text: 'Once upon a time' }], maxTokens: 1 });
    freeAfterCancel.push(performance.now() - started);
  }
  const ratio = median(steps.map((value, i) => value / (oneBatch[i] ?? Number.NaN)));
  return {
    title: 'Lecture d’un long prompt (stories260K, ~1 700 jetons, 1 thread)',
    figures: [
      { name: 'lecture d’un bloc (médiane)', value: median(oneBatch), unit: 'ms' },
      { name: 'lecture par étapes annulables (médiane)', value: median(steps), unit: 'ms' },
      { name: 'ratio étapes / bloc (médiane des paires)', value: ratio, unit: '' },
      { name: 'requête suivante après annulation pendant la lecture', value: median(freeAfterCancel), unit: 'ms', target: '≤ 100 + la requête' },
    ],
    notes: ['Étapes d’environ 100 ms, ajustées à la vitesse mesurée ; annulation 50 ms après le début de la lecture.'],
  };
}
