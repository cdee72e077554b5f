/**
 * `npm run bench -- generation`: the cost of the engine process. The same model, the same threads, the same requests
 * go alternately to the runtime built in this process and to the engine process; speed is measured the same way on
 * both sides (first text chunk received → result received), so the ratio is what the process boundary costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirectRuntime } from '../../assistant/engine/directRuntime.js';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { generationEvents } from '../../assistant/host/generationStream.js';
import { type BenchSection, median } from './benchReport.js';
import { readingBench } from './readingBench.js';
import { remoteBench } from './remoteBench.js';

/** The model every generation figure is measured on. */
export const MODEL = fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url));
const ROUNDS = 12;
/** The request measured: a story, sampled with a fixed seed. */
export const REQUEST = {
  system: 'You are a storyteller for small children.',
  messages: [{ role: 'user' as const, text: 'Tell me a story about a cat and a dog who became friends.' }],
  maxTokens: 400,
  temperature: 0.8,
  seed: 7,
};

interface Run {
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
  /** The same generation's speed as measured inside the runtime. */
  engineTokensPerSecond: number;
}

export async function generationBench(): Promise<BenchSection[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'guichet-bench-'));
  const direct = createDirectRuntime({ dataDir });
  const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir } }) });
  try {
    let started = performance.now();
    await host.start();
    const engineStartMs = performance.now() - started;
    const idle = await host.call('engine.stats', undefined);

    started = performance.now();
    const directLoad = await direct.load({ path: MODEL, threads: 1 });
    const directLoadMs = performance.now() - started;
    started = performance.now();
    await host.call('models.load', { path: MODEL, threads: 1 });
    const engineLoadMs = performance.now() - started;
    const loaded = await host.call('engine.stats', undefined);

    // Warm-up on both sides (first evaluations allocate buffers), then alternate to spread the machine's noise.
    await runDirect(direct);
    await runEngine(host);
    const directRuns: Run[] = [];
    const engineRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first (ABBA): on a shared machine, the second run of a pair is measurably
      // luckier or unluckier than the first, and a fixed order biases the ratio by several percent.
      if (round % 2 === 0) {
        directRuns.push(await runDirect(direct));
        engineRuns.push(await runEngine(host));
      } else {
        engineRuns.push(await runEngine(host));
        directRuns.push(await runDirect(direct));
      }
    }
    const directTps = median(directRuns.map((r) => r.tokensPerSecond));
    const engineTps = median(engineRuns.map((r) => r.tokensPerSecond));
    // Each engine run against the direct run just before it: slow drifts of a shared machine cancel out.
    const pairedRatio = median(engineRuns.map((run, i) => run.tokensPerSecond / (directRuns[i]?.tokensPerSecond ?? Number.NaN)));
    const transportRatio = median(engineRuns.map((run) => run.tokensPerSecond / run.engineTokensPerSecond));

    const abortMs = await abortLatency(host);
    const reading = await readingBench(direct, host);
    // The direct runtime has the model with 1 thread here, as the stand-in server will.
    await direct.load({ path: MODEL, threads: 1 });
    const remote = await remoteBench(direct, MODEL, REQUEST);
    const threads: { threads: number; tps: number }[] = [];
    for (const count of [1, 2]) {
      await host.call('models.load', { path: MODEL, threads: count });
      const short = { ...REQUEST, maxTokens: 80 };
      await runEngine(host, short);
      const runs: number[] = [];
      for (let round = 0; round < 3; round++) runs.push((await runEngine(host, short)).tokensPerSecond);
      threads.push({ threads: count, tps: median(runs) });
    }

    return [
      {
        title: 'Génération : moteur séparé / appel direct (stories260K, 1 thread, 400 jetons)',
        figures: [
          { name: 'débit direct (médiane)', value: directTps, unit: 'jetons/s' },
          { name: 'débit via le moteur (médiane)', value: engineTps, unit: 'jetons/s' },
          { name: 'ratio moteur / direct (médiane des paires)', value: pairedRatio, unit: '', target: '≥ 0,95' },
          { name: 'ratio reçu / produit dans le moteur', value: transportRatio, unit: '' },
          { name: 'premier jeton direct (médiane)', value: median(directRuns.map((r) => r.timeToFirstTokenMs)), unit: 'ms' },
          { name: 'premier jeton via le moteur (médiane)', value: median(engineRuns.map((r) => r.timeToFirstTokenMs)), unit: 'ms' },
          { name: 'fin du flux après abandon', value: abortMs, unit: 'ms', target: '≤ 100' },
        ],
        notes: [
          `Débit mesuré côté appelant, du premier morceau de texte reçu à la fin ; ${ROUNDS} paires, ordre alterné (ABBA), après un tour de chauffe.`,
          'Le second ratio compare, pour les mêmes tours, le débit reçu par l’hôte et celui mesuré dans le moteur : le coût du seul transport, insensible au bruit de la machine.',
        ],
      },
      {
        title: 'Moteur : démarrage, chargement, mémoire',
        figures: [
          { name: 'démarrage du processus moteur', value: engineStartMs, unit: 'ms' },
          { name: 'chargement direct (appel complet)', value: directLoadMs, unit: 'ms' },
          { name: 'chargement via le moteur (appel complet)', value: engineLoadMs, unit: 'ms' },
          { name: 'dont chargement llama.cpp', value: directLoad.loadMs, unit: 'ms' },
          { name: 'RSS du moteur au repos', value: idle.rssBytes / 2 ** 20, unit: 'Mio' },
          { name: 'RSS du moteur avec le modèle', value: loaded.rssBytes / 2 ** 20, unit: 'Mio' },
        ],
        notes: ["Le chargement complet inclut la lecture de l'en-tête GGUF (thread isolé) et l'initialisation de llama.cpp au premier appel."],
      },
      remote,
      reading,
      {
        title: 'Effet du nombre de threads (via le moteur, 80 jetons)',
        figures: threads.map(({ threads: count, tps }) => ({ name: `${count} thread${count > 1 ? 's' : ''}`, value: tps, unit: 'jetons/s' })),
        notes: ['Sur un modèle minuscule, plus de threads coûte plus en synchronisation que ce qu’il apporte ; un modèle 7B se comporte autrement.'],
      },
    ];
  } finally {
    await host.dispose();
    await direct.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function runDirect(runtime: ReturnType<typeof createDirectRuntime>): Promise<Run> {
  const started = performance.now();
  let first: number | undefined;
  const result = await runtime.generate(REQUEST, { onText: () => (first ??= performance.now()) });
  const ended = performance.now();
  return measure(result.stats.completionTokens, started, first, ended, result.stats.tokensPerSecond);
}

/** One generation through the engine, measured as the host receives it. */
export async function runEngine(host: EngineHost, request = REQUEST): Promise<Run> {
  const started = performance.now();
  let first: number | undefined;
  let tokens = 0;
  let inside = 0;
  for await (const event of generationEvents(host, request)) {
    if (event.type === 'token') first ??= performance.now();
    else {
      tokens = event.stats.completionTokens;
      inside = event.stats.tokensPerSecond;
    }
  }
  return measure(tokens, started, first, performance.now(), inside);
}

function measure(tokens: number, started: number, first: number | undefined, ended: number, inside: number): Run {
  const from = first ?? ended;
  return {
    tokensPerSecond: tokens > 1 && ended > from ? ((tokens - 1) * 1000) / (ended - from) : 0,
    timeToFirstTokenMs: from - started,
    engineTokensPerSecond: inside,
  };
}

async function abortLatency(host: EngineHost): Promise<number> {
  const controller = new AbortController();
  let abortedAt = 0;
  let endedAt = 0;
  for await (const event of generationEvents(host, { ...REQUEST, maxTokens: 2000 }, { signal: controller.signal })) {
    if (event.type === 'token' && !controller.signal.aborted) {
      abortedAt = performance.now();
      controller.abort();
    }
    if (event.type === 'done') endedAt = performance.now();
  }
  return endedAt - abortedAt;
}
