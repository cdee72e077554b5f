import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AssistantError } from '../assistantError.js';
import type { RetrievalEvalReport } from '../knowledge/retrievalEval.js';
import type { EvalRecord } from './evalRecord.js';
import type { EvalModelRun } from './evalResults.js';

/** What makes two runs the same run: only then may one continue the other. */
export interface EvalRunKey {
  questionsSha256: string;
  corpusVersion: string;
  /** Device, k, tokens, seed, processor power: figures under other settings are other figures. */
  settings: string;
}

/** A model loaded in one session: what the report shows of it. */
export type EvalLoad = Omit<EvalModelRun, 'summary' | 'answers'>;

/** One line of the journal. */
export type JournalEntry =
  | { type: 'run'; key: EvalRunKey; startedAt: string }
  | { type: 'retrieval'; report: RetrievalEvalReport }
  | { type: 'load'; model: string; load: EvalLoad }
  | { type: 'answer'; model: string; record: EvalRecord };

/** What a journal holds, for one run key. */
export interface JournalState {
  startedAt: string;
  retrieval?: RetrievalEvalReport;
  /** Model key → its loads, oldest first. */
  loads: Map<string, EvalLoad[]>;
  /** Model key → question id → record. */
  answers: Map<string, Map<string, EvalRecord>>;
}

/** The journal's file in the output folder. */
export const JOURNAL_FILE = 'reprise.jsonl';

/**
 * Reads a journal's lines. A last line cut by a kill is ignored; a journal of another run (questions, corpus or
 * settings) is refused, so that results never mix. Answers are kept per model key: a changed model file is another
 * model, whose answers start from nothing.
 * @throws AssistantError `eval-resume-mismatch`.
 */
export function readJournal(text: string, key: EvalRunKey): JournalState {
  const entries = text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      return [JSON.parse(line) as JournalEntry];
    } catch {
      return [];
    }
  });
  const header = entries[0];
  if (header?.type !== 'run') throw new AssistantError('eval-resume-mismatch', "Le journal de reprise de ce dossier est illisible : relancez l'évaluation sans --resume.");
  const differs = (['questionsSha256', 'corpusVersion', 'settings'] as const).filter((field) => header.key[field] !== key[field]);
  if (differs.length > 0) {
    const what = { questionsSha256: 'le jeu de questions', corpusVersion: 'le corpus', settings: 'les réglages (--device, --k, --max-tokens, --seed, --watts)' };
    throw new AssistantError(
      'eval-resume-mismatch',
      `Impossible de reprendre : ${differs.map((field) => what[field]).join(', ')} ne sont plus ceux de l'évaluation interrompue. Relancez sans --resume, ou dans un autre dossier (--out).`,
      { cause: { journal: header.key, now: key } },
    );
  }
  const state: JournalState = { startedAt: header.startedAt, loads: new Map(), answers: new Map() };
  for (const entry of entries.slice(1)) {
    if (entry.type === 'retrieval') state.retrieval = entry.report;
    else if (entry.type === 'load') state.loads.set(entry.model, [...(state.loads.get(entry.model) ?? []), entry.load]);
    else if (entry.type === 'answer') {
      const answers = state.answers.get(entry.model) ?? new Map<string, EvalRecord>();
      answers.set(entry.record.questionId, entry.record);
      state.answers.set(entry.model, answers);
    }
  }
  return state;
}

/** The journal of a run in its output folder: each answer appended as soon as it is measured. */
export class EvalJournal {
  private constructor(
    private readonly path: string,
    readonly key: EvalRunKey,
    readonly state: JournalState,
    readonly resumed: boolean,
  ) {}

  /**
   * Opens the folder's journal: with `resume`, continues the one there (refusing another run's); else starts anew.
   * @throws AssistantError `eval-resume-mismatch`, `eval-nothing-to-resume`.
   */
  static async open(dir: string, key: EvalRunKey, options: { resume: boolean }): Promise<EvalJournal> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, JOURNAL_FILE);
    if (options.resume) {
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) throw new AssistantError('eval-nothing-to-resume', `Aucune évaluation interrompue à reprendre dans ${dir}.`);
      const state = readJournal(text, key);
      // A kill mid-write leaves a cut last line, which the reader ignored: the next entry starts on a line of its own.
      if (!text.endsWith('\n')) await appendFile(path, '\n');
      return new EvalJournal(path, key, state, true);
    }
    const startedAt = new Date().toISOString();
    await writeFile(path, `${JSON.stringify({ type: 'run', key, startedAt } satisfies JournalEntry)}\n`);
    return new EvalJournal(path, key, { startedAt, loads: new Map(), answers: new Map() }, false);
  }

  /** Appends an entry (one line, written before the next question starts) and keeps it in the state. */
  async append(entry: Exclude<JournalEntry, { type: 'run' }>): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(entry)}\n`);
    if (entry.type === 'retrieval') this.state.retrieval = entry.report;
    else if (entry.type === 'load') this.state.loads.set(entry.model, [...(this.state.loads.get(entry.model) ?? []), entry.load]);
    else {
      const answers = this.state.answers.get(entry.model) ?? new Map<string, EvalRecord>();
      answers.set(entry.record.questionId, entry.record);
      this.state.answers.set(entry.model, answers);
    }
  }
}
