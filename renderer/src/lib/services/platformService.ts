/** Settings, models, hardware, the engine's state. */
import type { Health, ModelListing, ResolvedSettings, RuntimeStatus } from '../../../../assistant/api.js';
import type { HardwareInfo } from '../../../../assistant/api.js';
import type { ContractStream, EngineStatusEvent } from '../api/client.js';
import { client } from './clientHolder.js';

type Api = ReturnType<typeof client>;

export function getSettings(): Promise<ResolvedSettings> {
  return client().settings.get();
}

export function setSetting(key: string, value: unknown): Promise<ResolvedSettings> {
  return client().settings.set({ key, value });
}

export function listModels(): Promise<ModelListing> {
  return client().models.list();
}

/** Registers a GGUF file of this PC in the models library (its header read and checked), with its fit verdict. */
export function addModel(path: string): ReturnType<Api['models']['add']> {
  return client().models.add({ path });
}

export function modelStatus(): Promise<RuntimeStatus> {
  return client().models.status();
}

export function hardwareInfo(): Promise<HardwareInfo> {
  return client().hardware.info();
}

export function health(): Promise<Health> {
  return client().health();
}

export function watchEngine(): ContractStream<EngineStatusEvent, null> {
  return client().engine.status();
}

export async function restartEngine(): Promise<void> {
  await client().engine.restart();
}
