/**
 * The remote row of `npm run bench -- generation`: the same model (stories260K, 1 thread) written by the OpenAI-
 * compatible stand-in on 127.0.0.1 and received through the remote runtime, against the llama.cpp runtime called
 * directly in this process. The ratio is what the HTTP/SSE path and the OpenAI client cost; the added time to first
 * token is the request's round trip on loopback. The stand-in is test support (test/support/openAiStandIn.ts).
 */
import { createDirectRemoteRuntime, type createDirectRuntime } from '../../assistant/engine/directRuntime.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { StandInTimings } from '../../test/support/openAiStandIn.js';
import { type BenchSection, median } from './benchReport.js';

const ROUNDS = 8;
const WARM_UP = 12;

type ModelRuntime = ReturnType<typeof createDirectRuntime>;

interface Received {
  tokensPerSecond: number;
  timeToFirstTokenMs: number;
}

/** `direct` has the model loaded with 1 thread; the stand-in loads its own copy with 1 thread. */
export async function remoteBench(direct: ModelRuntime, model: string, request: Parameters<ModelRuntime['generate']>[0]): Promise<BenchSection> {
  const { child, url } = await startStandInProcess(model);
  const remote = await createDirectRemoteRuntime(url, direct);
  try {
    await remote.load({ path: '' });
    // node-llama-cpp's JavaScript runs at every token: a fresh server process wrote 600 tokens/s at its first answers
    // and 1 100 from about the tenth, once V8 had compiled it (the direct runtime here is warm from the rows before).
    for (let warm = 0; warm < WARM_UP; warm++) {
      await received(remote, request);
      await received(direct, request);
    }
    const remoteRuns: Received[] = [];
    const directRuns: Received[] = [];
    const produced: number[] = [];
    const receivedRemote = async () => {
      const run = await received(remote, request);
      remoteRuns.push(run);
      produced.push(await producedSpeed(url));
    };
    for (let round = 0; round < ROUNDS; round++) {
      // ABBA, as the engine's row: the order of a pair biases a shared machine's figures.
      if (round % 2 === 0) {
        directRuns.push(await received(direct, request));
        await receivedRemote();
      } else {
        await receivedRemote();
        directRuns.push(await received(direct, request));
      }
    }
    const ratio = median(remoteRuns.map((run, i) => run.tokensPerSecond / (directRuns[i]?.tokensPerSecond ?? Number.NaN)));
    const addedTtft = median(remoteRuns.map((run, i) => run.timeToFirstTokenMs - (directRuns[i]?.timeToFirstTokenMs ?? Number.NaN)));
    return {
      title: 'Génération : serveur partagé (OpenAI, SSE sur 127.0.0.1) / appel direct (stories260K, 1 thread, 400 jetons)',
      figures: [
        { name: 'débit direct (médiane)', value: median(directRuns.map((r) => r.tokensPerSecond)), unit: 'jetons/s' },
        { name: 'débit reçu du serveur (médiane)', value: median(remoteRuns.map((r) => r.tokensPerSecond)), unit: 'jetons/s' },
        { name: 'ratio serveur / direct (médiane des paires)', value: ratio, unit: '', target: '≥ 0,95' },
        // Paired ratios swing with the other work of a shared machine (two processes generate here): both are shown.
        { name: 'ratio des médianes serveur / direct', value: median(remoteRuns.map((r) => r.tokensPerSecond)) / median(directRuns.map((r) => r.tokensPerSecond)), unit: '' },
        { name: 'débit produit par le serveur (médiane)', value: median(produced), unit: 'jetons/s' },
        // What the HTTP/SSE path and the client cost alone, whatever the machine's other work does to the server.
        { name: 'ratio reçu / produit par le serveur (médiane des tours)', value: median(remoteRuns.map((run, i) => run.tokensPerSecond / (produced[i] ?? Number.NaN))), unit: '' },
        { name: 'premier jeton direct (médiane)', value: median(directRuns.map((r) => r.timeToFirstTokenMs)), unit: 'ms' },
        { name: 'premier jeton via le serveur (médiane)', value: median(remoteRuns.map((r) => r.timeToFirstTokenMs)), unit: 'ms' },
        { name: 'premier jeton : surcoût du serveur (médiane des paires)', value: addedTtft, unit: 'ms', target: '≤ 50' },
        { name: 'fin du flux après abandon', value: await abortLatency(remote, request), unit: 'ms', target: '≤ 100' },
      ],
      notes: [
        `Le serveur est le stand-in de test (node-llama-cpp, même modèle, même nombre de threads) dans un processus à part, comme un vrai serveur ; ${ROUNDS} paires, ordre alterné, après ${WARM_UP} tours de chauffe (le JavaScript de node-llama-cpp n'atteint son régime qu'après une dizaine de réponses).`,
        'Débit mesuré côté appelant, du premier morceau reçu à la fin ; le client est le paquet openai (flux SSE), sans nouvelle tentative.',
        "Débit produit : celui que le serveur mesure de son premier jeton au dernier (les « timings » de llama-server). Sur 2 cœurs, le serveur, son client et l'appel direct se partagent la machine : le serveur y produit moins vite que l'appel direct seul, ce que le premier ratio compte et le second non.",
      ],
    };
  } finally {
    await remote.dispose();
    child.stdin?.end();
    await new Promise((done) => child.once('exit', done));
  }
}

/** The tokens/s the stand-in measured while writing its last answer (its `GET /stand-in/timings`). */
async function producedSpeed(url: string): Promise<number> {
  const response = await fetch(new URL('/stand-in/timings', url));
  const timings = (await response.json()) as StandInTimings | null;
  return timings?.predicted_per_second ?? Number.NaN;
}

/** The stand-in in its own process (a server is another machine): its URL once it listens. */
async function startStandInProcess(model: string): Promise<{ child: ChildProcess; url: string }> {
  const main = fileURLToPath(new URL('../../test/support/openAiStandInMain.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, model], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`stand-in arrêté (code ${code})`)));
  });
  lines.close();
  return { child, url: (JSON.parse(first) as { url: string }).url };
}

async function received(runtime: ModelRuntime, request: Parameters<ModelRuntime['generate']>[0]): Promise<Received> {
  const started = performance.now();
  let first: number | undefined;
  const result = await runtime.generate(request, { onText: () => (first ??= performance.now()) });
  const ended = performance.now();
  const from = first ?? ended;
  const tokens = result.stats.completionTokens;
  return { tokensPerSecond: tokens > 1 && ended > from ? ((tokens - 1) * 1000) / (ended - from) : 0, timeToFirstTokenMs: from - started };
}

/** From the abort to the generation's return (the HTTP request aborted, the text so far kept). */
async function abortLatency(remote: ModelRuntime, request: Parameters<ModelRuntime['generate']>[0]): Promise<number> {
  const controller = new AbortController();
  let abortedAt = 0;
  await remote.generate({ ...request, maxTokens: 2000 }, {
    signal: controller.signal,
    onText: () => {
      if (controller.signal.aborted) return;
      abortedAt = performance.now();
      controller.abort();
    },
  });
  return performance.now() - abortedAt;
}
