import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, resolve } from 'node:path';
import type { EvalJournal, EvalLoad } from '../../assistant/eval/evalJournal.js';
import { recordOf, type EnergyEstimate } from '../../assistant/eval/evalRecord.js';
import type { EvalMachine, EvalModelRun, EvalResults } from '../../assistant/eval/evalResults.js';
import { corpusVersion, modelIdentity, sha256 } from '../../assistant/eval/evalIdentity.js';
import { summariseModel } from '../../assistant/eval/modelSummary.js';
import { parseEvalSet, type EvalQuestion } from '../../assistant/eval/questionSet.js';
import type { CorpusInfo } from '../../assistant/knowledge/knowledgeBase.js';
import { loadOptionsFromSettings } from '../../assistant/settings/modelLoadOptions.js';
import type { HardwareInfo } from '../../assistant/api.js';
import type { CliContext } from '../cliContext.js';
import { CliUsageError, errorReport, progressReporter } from '../cliOutput.js';
import { cliRun } from '../cliRun.js';
import { type GuichetApi, withEngine } from '../engineSession.js';
import { projectRoot } from '../projectRoot.js';
import { withRuntimeFlags } from '../runtimeFlags.js';

/** What `guichet eval` was asked. */
export interface EvalRunOptions {
  questionsFile: string;
  models: string[];
  device: 'cpu' | 'auto';
  out: string;
  resume: boolean;
  k: number;
  maxTokens: number;
  seed: number;
  processorWatts: number;
  /** A name for this PC in the report (default: its host name). */
  label: string;
  /** A shared model server measured as one more model (`--remote`, `--remote-model`), policy checked by the engine. */
  remote?: { url: string; model?: string };
}

/** One column of the report: a GGUF file of this PC, or the shared server's model. */
interface EvaluatedModel {
  /** The file, or the server's address (and model) as the report names it. */
  path: string;
  remote?: { url: string; model?: string };
}

function evaluatedModels(options: EvalRunOptions): EvaluatedModel[] {
  const local = options.models.map((path) => ({ path }));
  if (!options.remote) return local;
  const { url, model } = options.remote;
  return [...local, { path: model ? `${url} (${model})` : url, remote: options.remote }];
}

/** The journal's key of a model: the file's content, or the server and model names (a server cannot be hashed). */
function identityOf(model: EvaluatedModel): Promise<string> {
  if (model.remote) return Promise.resolve(`remote:${model.remote.url}#${model.remote.model ?? ''}`);
  return modelIdentity(model.path).catch((cause: unknown) => {
    throw new CliUsageError(`Modèle introuvable ou illisible : ${model.path}.`, { cause });
  });
}

/** The run's outcome: complete results, or what an interruption left in the journal. */
export type EvalRunOutcome = { complete: true; results: EvalResults } | { complete: false; answered: number; total: number };

/**
 * Runs the protocol: retrieval once, then each model in an engine of its own (so that its load time and peak memory
 * are its own), one question at a time, each answer journaled as soon as measured. Ctrl-C stops after the answer
 * in progress is dropped; `--resume` continues from the journal.
 */
export async function runEval(ctx: CliContext, options: EvalRunOptions): Promise<EvalRunOutcome> {
  const { EvalJournal } = await import('../../assistant/eval/evalJournal.js');
  const text = await readFile(options.questionsFile, 'utf8').catch((cause: unknown) => {
    throw new CliUsageError(`Impossible de lire le jeu de questions ${options.questionsFile}.`, { cause });
  });
  const origin = resolve(options.questionsFile);
  const json = parsedJson(text);
  const questions = parseEvalSet(json, origin);
  if (questions.length === 0) throw new CliUsageError(`Le jeu de questions ${options.questionsFile} est vide.`);
  const evaluated = evaluatedModels(options);
  const modelKeys = await Promise.all(evaluated.map(identityOf));
  const signal = cliRun.signal;

  const first = await withEngine(ctx, async (api) => {
    const info = await api.corpus.info();
    if (!info) throw new CliUsageError("Aucun corpus dans ce dossier de données : importez d'abord les fiches (guichet import).");
    const hardware = await api.hardware.info();
    const journal = await EvalJournal.open(options.out, { questionsSha256: sha256(text), corpusVersion: corpusVersion(info), settings: settingsKey(options) }, { resume: options.resume });
    if (!journal.state.retrieval && !signal.aborted) {
      const stream = api.eval.retrieval({ json: text, origin, k: Math.max(5, options.k) }, { signal });
      for await (const _event of stream) {
        // Retrieval is quick next to the answers: the bar below counts answers.
      }
      const report = await stream.result;
      if (!signal.aborted) await journal.append({ type: 'retrieval', report });
    }
    return { info, hardware, journal };
  });
  const { journal } = first;
  const total = questions.length * evaluated.length;
  const progress = progressReporter(ctx, 'Évaluation', { eta: true });
  // Only this run's models and questions count (a journal may hold a model dropped from the command line since).
  let answered = modelKeys.reduce((sum, key) => sum + questions.filter((q) => journal.state.answers.get(key)?.has(q.id)).length, 0);
  const failed: EvalResults['failedModels'] = [];
  const estimate: EnergyEstimate = { processorWatts: options.processorWatts, logicalCores: first.hardware.cpu.logicalCores };
  try {
    for (const [index, entry] of evaluated.entries()) {
      const { path } = entry;
      const key = modelKeys[index]!;
      const pending = questions.filter((q) => !journal.state.answers.get(key)?.has(q.id));
      if (pending.length === 0 || signal.aborted) continue;
      // The server's column writes on the server; the files' columns on this PC, even when a server is configured.
      const engineCtx = entry.remote
        ? withRuntimeFlags(ctx, { remote: entry.remote.url, ...(entry.remote.model ? { remoteModel: entry.remote.model } : {}) })
        : withRuntimeFlags(ctx, { model: path });
      await withEngine(engineCtx, async (api) => {
        let loaded: EvalLoad;
        try {
          loaded = await loadModel(engineCtx, api, entry.remote ? (entry.remote.model ?? entry.remote.url) : path, key, options.device, signal);
          if (entry.remote) loaded = { ...loaded, path };
        } catch (error) {
          if (signal.aborted) throw error;
          // A model that cannot load (too large, not a chat model, a file llama.cpp refuses) is reported; the
          // others are still measured.
          failed.push({ path, fileName: basename(path), message: errorReport(error).message });
          answered += pending.length;
          return;
        }
        await journal.append({ type: 'load', model: key, load: loaded });
        // The index is opened by a first search: the first question's search time is then like the others'.
        await api.search({ query: 'carte d’identité', k: 1 }, { signal });
        for (const question of pending) {
          progress.update(answered, total, loaded.fileName);
          const answer = await answerOne(api, question, entry.remote ? undefined : path, options, signal);
          if (!answer || signal.aborted || answer.stopReason === 'aborted') return;
          await journal.append({ type: 'answer', model: key, record: recordOf(question, answer, estimate) });
          answered += 1;
          progress.update(answered, total, loaded.fileName);
        }
      });
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    progress.stop();
  }
  if (signal.aborted || answered < total || !journal.state.retrieval) return { complete: false, answered, total };
  return { complete: true, results: resultsOf(options, questions, json, first.info, first.hardware, journal, modelKeys, failed) };
}

async function loadModel(ctx: CliContext, api: GuichetApi, path: string, key: string, device: 'cpu' | 'auto', signal: AbortSignal): Promise<EvalLoad> {
  const loading = api.models.load({ ...loadOptionsFromSettings(ctx.settings.values, path), gpu: device }, { signal });
  for await (const event of loading) {
    if (event.type === 'measuring' && !ctx.json) process.stderr.write(`Mesure de la vitesse sur ${event.device === 'cpu' ? 'le processeur' : `le GPU (${event.device})`}…\n`);
  }
  const model = await loading.result;
  return {
    key,
    path,
    fileName: model.fileName,
    name: model.name ?? null,
    quantization: model.quantization,
    architecture: model.architecture,
    contextSize: model.contextSize,
    threads: model.threads.threads,
    device: model.device,
    loadMs: model.loadMs,
    warnings: model.warnings,
  };
}

/** `modelPath` absent: the runtime the settings name (the shared server of `--remote`). */
async function answerOne(api: GuichetApi, question: EvalQuestion, modelPath: string | undefined, options: EvalRunOptions, signal: AbortSignal) {
  const stream = api.eval.answer(
    { question: question.question, ...(modelPath ? { modelPath } : {}), k: options.k, maxTokens: options.maxTokens, seed: options.seed, ...(question.audience ? { audiences: [question.audience] } : {}) },
    { signal },
  );
  for await (const _event of stream) {
    // Status lines only (loading); the bar shows progress.
  }
  return stream.result;
}

function resultsOf(
  options: EvalRunOptions,
  questions: EvalQuestion[],
  json: unknown,
  info: CorpusInfo,
  hardware: HardwareInfo,
  journal: EvalJournal,
  modelKeys: string[],
  failedModels: EvalResults['failedModels'],
): EvalResults {
  const failedPaths = new Set(failedModels.map((f) => f.path));
  const measured = evaluatedModels(options).flatMap(({ path }, index) => (failedPaths.has(path) ? [] : [modelKeys[index]!]));
  const models: EvalModelRun[] = measured.map((key) => {
    const load = journal.state.loads.get(key)![0]!;
    const answers = questions.map((q) => journal.state.answers.get(key)!.get(q.id)!);
    return { ...load, summary: summariseModel(answers, questions), answers };
  });
  const energyCounters = models.length > 0 && models.every((m) => m.summary.energyJoules.source === 'rapl');
  return {
    schema: 'guichet-eval/1',
    startedAt: journal.state.startedAt,
    finishedAt: new Date().toISOString(),
    resumed: journal.resumed,
    guichet: { version: projectRoot().version },
    machine: machineOf(options.label, hardware, energyCounters),
    corpus: {
      version: corpusVersion(info),
      builtAt: info.manifest.builtAt,
      knowledgeDate: info.manifest.knowledgeDate ?? info.manifest.newestFicheDate,
      fiches: info.manifest.counts.fiches,
      mode: info.mode,
    },
    questionSet: { file: options.questionsFile, name: setName(json), sha256: journal.key.questionsSha256, questions },
    settings: { device: options.device, k: options.k, maxTokens: options.maxTokens, seed: options.seed, processorWatts: options.processorWatts },
    retrieval: journal.state.retrieval!,
    models,
    failedModels,
  };
}

function machineOf(label: string, hardware: HardwareInfo, energyCounters: boolean): EvalMachine {
  return {
    label,
    os: `${os.type()} ${os.release()}`,
    platform: hardware.platform,
    arch: hardware.arch,
    cpu: hardware.cpu,
    ramBytes: hardware.ram.totalBytes,
    gpus: hardware.gpus.filter((g) => g.usable).flatMap((g) => g.devices.map((name) => ({ name, backend: g.backend, memoryBytes: g.vramTotalBytes }))),
    llamaCpp: `${hardware.llamaCpp.release} (${hardware.llamaCpp.binary === 'prebuilt' ? 'binaire fourni' : 'compilé localement'})`,
    energyCounters,
  };
}

function settingsKey(options: EvalRunOptions): string {
  return JSON.stringify({ device: options.device, k: options.k, maxTokens: options.maxTokens, seed: options.seed, watts: options.processorWatts });
}

function setName(json: unknown): string | null {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && typeof (json as { name?: unknown }).name === 'string' ? (json as { name: string }).name : null;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
