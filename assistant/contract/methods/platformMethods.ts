import { z } from 'zod';
import type { DeviceChoice } from '../../../native-models/deviceProbe.js';
import type { Health } from '../../engine/platformModule.js';
import type { ModelLibrary, ModelListing } from '../../models/modelLibrary.js';
import type { SettingKey } from '../../settings/settingsSchema.js';
import type { ResolvedSettings } from '../../settings/settingsStore.js';
import { call, stream } from '../method.js';
import { noParams, pathSchema, type ProgressEvent } from './common.js';

const modelName = z.object({ name: z.string().min(1).max(4096) });
type LibraryResult<M extends keyof ModelLibrary> = ModelLibrary[M] extends (...args: never[]) => Promise<infer R> ? R : never;

/** What `models.info` returns: the GGUF's metadata, its catalog entry, the fit verdict, the remembered device. */
export type ModelInfo = LibraryResult<'info'> & { device: DeviceChoice | null };

/** Settings (with what machine policy locks), health, the local models. */
export const PLATFORM_METHODS = {
  'settings.get': call(noParams).returns<ResolvedSettings>(),
  /** Saves a user setting; `restartRequired` names those that apply only after the engine restarts. */
  'settings.set': call(z.object({ key: z.string().min(1).max(100), value: z.unknown() })).returns<ResolvedSettings & { restartRequired: SettingKey[] }>(),
  health: call(noParams).returns<Health>(),
  'models.list': call(noParams).returns<ModelListing>(),
  'models.add': call(z.object({ path: pathSchema })).returns<LibraryResult<'add'>>(),
  'models.pull': stream(
    modelName.extend({ mirror: z.string().url().max(2048).optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional() }),
  ).returns<LibraryResult<'pull'>, ProgressEvent>(),
  'models.remove': call(modelName).returns<LibraryResult<'remove'>>(),
  'models.info': call(modelName).returns<ModelInfo>(),
  /** Forgets the remembered device (and any recorded GPU crash) of a model: the next load measures again. */
  'models.forgetDevice': call(modelName).returns<null>(),
};
