import { APIConnectionError, APIError } from 'openai';
import { RemoteModelError } from './remoteModelError.js';

/** Node's TLS verification failures: a certificate problem is an error, never retried without checking. */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
]);

/**
 * The French error for what the OpenAI client (or `fetch` beneath it) threw while talking to `host`. The cause keeps
 * the status and the server's own text for the log; the API key is in no message (the client never puts it there).
 */
export function remoteFailure(error: unknown, host: string): RemoteModelError {
  if (error instanceof RemoteModelError) return error;
  if (error instanceof APIConnectionError) {
    if (certificateCode(error) !== undefined) {
      return new RemoteModelError('remote-certificate', `Le certificat TLS du serveur ${host} n'est pas valide : la connexion est refusée. Le service informatique doit installer un certificat reconnu par ce poste.`, { cause: error });
    }
    return new RemoteModelError('remote-unreachable', `Le serveur de modèle ${host} est injoignable. Vérifiez le réseau ou demandez au service informatique s'il est en service.`, { cause: error });
  }
  if (error instanceof APIError && typeof error.status === 'number') return statusFailure(error.status, error.headers?.get('retry-after') ?? null, host, error);
  return new RemoteModelError('remote-bad-response', `Le serveur de modèle ${host} a répondu de façon inattendue.`, { cause: error });
}

/** The error of an HTTP status other than 2xx. */
export function statusFailure(status: number, retryAfter: string | null, host: string, cause: unknown): RemoteModelError {
  if (status === 401 || status === 403) {
    return new RemoteModelError('remote-unauthorized', `Le serveur ${host} refuse l'accès (${status}) : la clé d'API est absente, fausse ou non autorisée. Demandez une clé au service informatique.`, { cause });
  }
  if (status === 429) {
    const seconds = retryAfterSeconds(retryAfter);
    const wait = seconds === undefined ? 'Réessayez dans un moment.' : `Réessayez dans ${seconds.toLocaleString('fr-FR')} s.`;
    return new RemoteModelError('remote-rate-limited', `Le serveur ${host} est saturé de demandes (429). ${wait}`, { cause, ...(seconds !== undefined ? { retryAfterSeconds: seconds } : {}) });
  }
  if (status === 404) return new RemoteModelError('remote-model-unknown', `Le serveur ${host} ne propose pas ce modèle ou cette fonction (404).`, { cause });
  if (status >= 500) return new RemoteModelError('remote-server-error', `Le serveur de modèle ${host} est en erreur (${status}). Réessayez plus tard ou prévenez le service informatique.`, { cause });
  return new RemoteModelError('remote-bad-response', `Le serveur de modèle ${host} a refusé la demande (${status}).`, { cause });
}

/** `Retry-After` as seconds: a number of seconds, or an HTTP date. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function certificateCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CERTIFICATE_CODES.has(code)) return code;
  }
  return undefined;
}
