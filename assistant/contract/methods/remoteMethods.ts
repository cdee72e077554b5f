import { z } from 'zod';
import type { RemoteModelInfo } from '../../../remote-models/remoteRuntime.js';
import { call } from '../method.js';
import { noParams } from './common.js';

/** The shared model server as Paramètres shows it. */
export interface RemoteStatus {
  /** Machine policy allows a shared server (`remote.allowed`): only then does Paramètres offer it. */
  allowed: boolean;
  /** The servers policy allows (`remote.allowedHosts`). */
  allowedHosts: string[];
  /** `runtime.remote.url`, `null` = the model on this PC. */
  url: string | null;
  /** `host[:port]` of that URL when policy accepts it. */
  host: string | null;
  /** French refusal when the URL is set but policy refuses it (host not listed, plain HTTP…). */
  refusal: string | null;
  model: string | null;
  /** The key comes from the file policy names (`remote.apiKeyFile`): Paramètres does not ask for one. */
  keyFromPolicy: boolean;
  /** A key was entered in Paramètres and is stored on this PC (its value is never sent back). */
  hasStoredKey: boolean;
  /** How a key entered in Paramètres is kept: `sealed` by the OS keystore (desktop app), `plain` (readable by the user's account only). */
  keyProtection: 'sealed' | 'plain';
  /** Personal data is masked before the question leaves the PC (on with a shared server unless policy says not). */
  masking: boolean;
  /**
   * The agent chose the model of this PC for this session (`remote.useLocalModel`, the server being unreachable): the
   * server's address is set aside until the engine restarts or the agent goes back to it; the saved setting is kept.
   */
  localForSession: boolean;
  /** The address set aside while {@link localForSession}. */
  setAsideHost: string | null;
}

/** What `remote.models` returns: the server's models, or `configured: false` without a server. */
export interface RemoteModels {
  configured: boolean;
  url?: string;
  host?: string;
  models: RemoteModelInfo[];
}

/** The shared model server (issue 14): its models, its status for Paramètres, the API key entered there. */
export const REMOTE_METHODS = {
  'remote.status': call(noParams).returns<RemoteStatus>(),
  'remote.models': call(noParams).returns<RemoteModels>(),
  /** Stores the API key on this PC (never returned, never logged); the next request uses it. */
  'remote.setApiKey': call(z.object({ apiKey: z.string().trim().min(1).max(4_096) })).returns<null>(),
  'remote.clearApiKey': call(noParams).returns<null>(),
  /**
   * `enabled: true`: draft on this PC for this session (the server is unreachable and a model is installed), the
   * saved `runtime.remote.url` untouched; `false`: back to the shared server. Refused (`setting-locked`) when machine
   * policy imposes the server.
   */
  'remote.useLocalModel': call(z.object({ enabled: z.boolean() })).returns<RemoteStatus>(),
};
