import { ExpectedError } from './contract/expectedError.js';

/** What went wrong in a use case (as opposed to the corpus or the model layers, which have their own errors). */
export type AssistantErrorCode =
  | 'eval-set-invalid'
  | 'eval-resume-mismatch'
  | 'eval-nothing-to-resume'
  | 'eval-results-invalid'
  | 'feed-source-unknown' | 'download-forbidden' | 'invalid-request'
  | 'pack-invalid' | 'pack-output-exists' | 'pack-audience-twice';

/** An expected failure of a use case: French `message` for the agent or IT, technical `cause` for the log. */
export class AssistantError extends ExpectedError<AssistantErrorCode> {
  override readonly name = 'AssistantError';
}
