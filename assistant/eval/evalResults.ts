import type { DeviceReport } from '../../native-models/modelRuntime.js';
import type { RetrievalEvalReport } from '../knowledge/retrievalEval.js';
import type { EvalRecord } from './evalRecord.js';
import type { ModelSummary } from './modelSummary.js';
import type { EvalQuestion } from './questionSet.js';

/** The PC a run was measured on, so that runs of several PCs can be put side by side. */
export interface EvalMachine {
  /** A name for the PC (`--poste`, default its host name). */
  label: string;
  os: string;
  platform: string;
  arch: string;
  cpu: { model: string; logicalCores: number; physicalCores: number; instructionSets: string[] };
  ramBytes: number;
  gpus: { name: string; backend: string; memoryBytes?: number }[];
  llamaCpp: string;
  /** RAPL counters readable: energies are measured, else estimated from CPU time. */
  energyCounters: boolean;
}

/** One model's part of a run. */
export interface EvalModelRun {
  /** The model file's identity (name, size, date, hash of its first and last MiB): what resume keys on. */
  key: string;
  path: string;
  fileName: string;
  name: string | null;
  quantization: string;
  architecture: string;
  contextSize: number;
  threads: number;
  device: DeviceReport;
  /** Wall time of the model's load in a fresh engine, ms (of the first session when the run was resumed). */
  loadMs: number;
  warnings: string[];
  summary: ModelSummary;
  answers: EvalRecord[];
}

/** `results.json`: everything one run measured (schema documented in `docs/eval/README.md`). */
export interface EvalResults {
  schema: 'guichet-eval/1';
  startedAt: string;
  finishedAt: string;
  /** Whether the run was resumed after an interruption. */
  resumed: boolean;
  guichet: { version: string };
  machine: EvalMachine;
  corpus: { version: string; builtAt: string; knowledgeDate: string; fiches: number; mode: 'fulltext' | 'hybrid' };
  questionSet: { file: string; name: string | null; sha256: string; questions: EvalQuestion[] };
  settings: { device: 'cpu' | 'auto'; k: number; maxTokens: number; seed: number; processorWatts: number };
  retrieval: RetrievalEvalReport;
  models: EvalModelRun[];
  /** Models that could not be loaded, with the French reason: the others were measured all the same. */
  failedModels: { path: string; fileName: string; message: string }[];
}

/** Several runs (of several PCs) merged by `guichet eval compare`. */
export interface EvalComparison {
  runs: { source: string; results: EvalResults }[];
}

/** Whether a value read from disk looks like a `results.json` of this schema (checked before a comparison). */
export function isEvalResults(value: unknown): value is EvalResults {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record.schema === 'guichet-eval/1' && Array.isArray(record.models) && typeof record.machine === 'object' && typeof record.retrieval === 'object';
}
