import type { ReadAheadResult } from '../../native-models/modelRuntime.js';
import type { Audience } from '../knowledge/knowledgeTypes.js';

/** A fiche the question being typed would be answered from. */
export interface PreparedFiche {
  ficheId: string;
  title: string;
  url: string;
  date: string;
  audience: Audience;
  /** Section titles of the passages given to the model (or the best passages without a model). */
  sections: string[];
}

/**
 * Why the prompt's beginning was or was not read: the runtime's own states (`read`, `stopped`, `superseded`,
 * `yielded`, `no-model`, `busy`), and `not-asked` (`read` false), `off` (`runtime.readAhead` false), `battery` (the
 * PC runs on its battery), `unsupported` (a runtime without a local context).
 */
export type ReadingState = ReadAheadResult['state'] | 'not-asked' | 'off' | 'battery' | 'unsupported';

/** The result of `question.prepare`. */
export interface AskPreparation {
  fiches: PreparedFiche[];
  /** Ids of the chunks given to the model, in order: the same list twice means the reading can start. Empty without a model. */
  extracts: string[];
  reading: Omit<ReadAheadResult, 'state'> & { state: ReadingState };
}

/** Events of `question.prepare`: the fiches first (search as you type), then the reading's progress. */
export type PrepareEvent =
  | { type: 'fiches'; fiches: PreparedFiche[]; extracts: string[] }
  | { type: 'reading'; fraction: number; inContext: number; total: number };
