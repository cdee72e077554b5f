import { describe, expect, it } from 'vitest';
import type { RemoteStatus, RuntimeStatus } from '../../assistant/api.js';
import { modelPlace } from '../../renderer/src/lib/state/modelPlace.js';

const REMOTE: RemoteStatus = {
  allowed: true, allowedHosts: ['llm.dept.gouv.fr'], url: 'https://llm.dept.gouv.fr/v1', host: 'llm.dept.gouv.fr', refusal: null, model: null,
  keyFromPolicy: false, hasStoredKey: false, keyProtection: 'plain' as const, masking: true, localForSession: false, setAsideHost: null,
};
const EMPTY: RuntimeStatus = { state: 'empty' };
const none = { runtime: EMPTY, remote: null, localModel: null, loading: false };

describe('where drafts are written, as the status bar says it', () => {
  it('says a model waits for the first question rather than « recherche seule » before it is loaded', () => {
    expect(modelPlace({ ...none, localModel: 'stories260K.gguf' })).toEqual({ badge: 'Modèle : ce poste', detail: 'stories260K.gguf · chargé à la première question' });
    expect(modelPlace({ ...none, localModel: 'stories260K.gguf', loading: true }).detail).toBe('Chargement du modèle…');
    expect(modelPlace(none)).toEqual({ badge: null, detail: 'Aucun modèle : recherche seule' });
  });

  it('names the shared server when one is configured, before and after it is connected', () => {
    expect(modelPlace({ ...none, remote: REMOTE, localModel: 'stories260K.gguf' })).toEqual({ badge: 'Modèle : serveur llm.dept.gouv.fr', detail: 'connexion à la prochaine question' });
    const connected = { state: 'ready', model: { remote: { url: REMOTE.url!, host: 'llm.dept.gouv.fr', model: 'mistral-small' } } } as RuntimeStatus;
    expect(modelPlace({ ...none, runtime: connected, remote: REMOTE })).toEqual({ badge: 'Modèle : serveur llm.dept.gouv.fr', detail: 'mistral-small' });
  });

  it('says this PC for the session once the agent chose it, and why a refused server leaves search only', () => {
    const setAside = { ...REMOTE, url: null, host: null, localForSession: true, setAsideHost: 'llm.dept.gouv.fr' };
    expect(modelPlace({ ...none, remote: setAside, localModel: 'stories260K.gguf' }).badge).toBe('Modèle : ce poste (pour cette session)');
    const refused = { ...REMOTE, host: null, refusal: 'Le serveur llm.dept.gouv.fr n’est pas dans la liste des serveurs autorisés.' };
    expect(modelPlace({ ...none, remote: refused })).toEqual({ badge: null, detail: 'Serveur de modèle refusé : recherche seule', title: refused.refusal });
  });
});
