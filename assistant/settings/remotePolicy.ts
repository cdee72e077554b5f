import { RemoteModelError } from '../../remote-models/remoteModelError.js';
import type { SettingKey, Settings } from './settingsSchema.js';

/**
 * Keys only machine policy may set: whether a shared model server may be used, which ones, and its key. A user's
 * settings file that sets them is ignored for these keys (with a French warning), and `settings set` refuses them.
 */
export const POLICY_ONLY_KEYS: readonly SettingKey[] = ['remote.allowed', 'remote.allowedHosts', 'remote.apiKeyFile'];

/** Whether a key may only come from machine policy. */
export function isPolicyOnly(key: string): boolean {
  return (POLICY_ONLY_KEYS as readonly string[]).includes(key);
}

/** French refusal of a policy-only key set by the user: `ignored` when found in the user's file, else refused. */
export function policyOnlyMessage(key: string, ignored = false): string {
  return `Le réglage « ${key} » ne peut être fixé que par la politique machine du service informatique${ignored ? " : valeur de l'utilisateur ignorée" : ''}.`;
}

/** The shared server the settings point at, once policy has allowed it. */
export interface RemoteTarget {
  /** Base URL, without trailing slash (`https://llm.dept.gouv.fr/v1`). */
  url: string;
  /** `host[:port]`, shown to the agent. */
  host: string;
  /** The server's model name; `null` = the first it offers. */
  model: string | null;
  /** Policy's API key file, `null` = the key entered in Paramètres, if any. */
  apiKeyFile: string | null;
}

/**
 * The shared server to use, or `undefined` when `runtime.remote.url` is empty (the model on this PC). Policy is
 * checked every time: allowed at all, host listed, TLS except to this PC's loopback.
 * @throws RemoteModelError `remote-not-allowed`, `remote-host-not-allowed`, `remote-insecure`, `remote-bad-url`.
 */
export function remoteTarget(settings: Settings): RemoteTarget | undefined {
  const raw = settings['runtime.remote.url'];
  if (!raw) return undefined;
  const url = checkRemoteUrl(raw, settings);
  return { url: url.href.replace(/\/+$/, ''), host: url.host, model: settings['runtime.remote.model'], apiKeyFile: settings['remote.apiKeyFile'] };
}

/** A server URL checked against policy (see {@link remoteTarget}). */
export function checkRemoteUrl(raw: string, settings: Settings): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new RemoteModelError('remote-bad-url', `« ${raw} » n'est pas une adresse de serveur valide (exemple : https://llm.service.gouv.fr/v1).`, { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RemoteModelError('remote-bad-url', `Adresse de serveur refusée : seuls https:// (et http:// vers ce poste) sont acceptés.`);
  if (url.username || url.password) throw new RemoteModelError('remote-bad-url', "L'adresse du serveur ne doit pas contenir d'identifiant ni de mot de passe : la clé d'API se règle à part.");
  if (!settings['remote.allowed']) {
    throw new RemoteModelError('remote-not-allowed', "L'utilisation d'un serveur de modèle partagé n'est pas autorisée sur ce poste : la politique machine doit l'autoriser (remote.allowed). Le modèle de ce poste reste utilisable.");
  }
  if (!hostAllowed(url, settings['remote.allowedHosts'])) {
    const listed = settings['remote.allowedHosts'].join(', ') || 'aucun';
    throw new RemoteModelError('remote-host-not-allowed', `Le serveur ${url.host} n'est pas dans la liste des serveurs autorisés par la politique machine (remote.allowedHosts : ${listed}).`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new RemoteModelError('remote-insecure', `Connexion non chiffrée refusée : le serveur ${url.host} doit être joint en https:// (http:// n'est accepté que vers ce poste).`);
  }
  return url;
}

/** `host` entries allow any port of that host, `host:port` entries that port only. */
export function hostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowedHosts.some((entry) => {
    const parsed = parseHostEntry(entry.trim().toLowerCase());
    return parsed.host === host && (parsed.port === undefined || parsed.port === port);
  });
}

function parseHostEntry(entry: string): { host: string; port?: string } {
  try {
    const url = new URL(`http://${entry}`);
    const explicitPort = /:\d+$/.test(entry) ? (entry.match(/:(\d+)$/)?.[1] ?? undefined) : undefined;
    return explicitPort === undefined ? { host: url.hostname } : { host: url.hostname, port: explicitPort };
  } catch {
    return { host: entry };
  }
}

/** 127.0.0.0/8, ::1 and `localhost`: this PC itself, where plain HTTP leaves nothing on the network. */
export function isLoopback(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Whether personal data is masked before the model sees the question: always with a shared server, unless machine
 * policy itself sets `privacy.maskBeforeModel` to false; else the setting.
 */
export function masksBeforeModel(settings: Settings, locked: readonly SettingKey[], remoteActive: boolean): boolean {
  if (!remoteActive) return settings['privacy.maskBeforeModel'];
  return locked.includes('privacy.maskBeforeModel') ? settings['privacy.maskBeforeModel'] : true;
}
