import { ExpectedError } from '../contract/expectedError.js';

export type SettingsErrorCode = 'setting-locked' | 'setting-unknown' | 'setting-invalid' | 'settings-unwritable' | 'feature-disabled';

/** A setting that cannot be changed or saved: French `message` for the agent or IT, technical `cause` for the log. */
export class SettingsError extends ExpectedError<SettingsErrorCode> {
  override readonly name = 'SettingsError';
}
