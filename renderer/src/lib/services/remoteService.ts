/** The shared model server: its status for Paramètres, its models, the API key entered there. */
import type { RemoteModels, RemoteStatus } from '../../../../assistant/api.js';
import { client } from './clientHolder.js';

export function remoteStatus(): Promise<RemoteStatus> {
  return client().remote.status();
}

export function remoteModels(): Promise<RemoteModels> {
  return client().remote.models();
}

export async function setRemoteApiKey(apiKey: string): Promise<void> {
  await client().remote.setApiKey({ apiKey });
}

export async function clearRemoteApiKey(): Promise<void> {
  await client().remote.clearApiKey();
}

/** Drafts on this PC for this session (`true`), or back to the shared server (`false`). */
export function useLocalModel(enabled: boolean): Promise<RemoteStatus> {
  return client().remote.useLocalModel({ enabled });
}
