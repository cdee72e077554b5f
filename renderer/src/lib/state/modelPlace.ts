/**
 * Where drafts are written, as the status bar says it: the shared server (« Modèle : serveur llm.dept.gouv.fr ») or
 * this PC, and what the model is doing — loaded, loading, or to be loaded by the first question — before any model
 * has been loaded, so that an agent never reads « recherche seule » while a model is waiting on the disk.
 */
import type { RemoteStatus, RuntimeStatus } from '../../../../assistant/api.js';

export interface ModelPlace {
  /** The badge: where drafts are written; `null` without any model. */
  badge: string | null;
  /** What the model is doing, or why there is none. */
  detail: string;
  /** A longer explanation (a policy refusal), for the tooltip. */
  title?: string;
}

export interface ModelPlaceInput {
  runtime: RuntimeStatus | null;
  remote: RemoteStatus | null;
  /** The local model the first question would load (its name), `null` when none is installed. */
  localModel: string | null;
  /** A question is loading the model right now. */
  loading: boolean;
}

const DEVICES: Record<string, string> = { vulkan: 'Vulkan', cuda: 'CUDA', metal: 'Metal' };

export function modelPlace({ runtime, remote, localModel, loading }: ModelPlaceInput): ModelPlace {
  if (runtime?.state === 'ready') {
    const model = runtime.model;
    if (model.remote) return { badge: `Modèle : serveur ${model.remote.host}`, detail: model.remote.model };
    const device = model.device.device === 'cpu' ? 'processeur' : `GPU ${DEVICES[model.device.device] ?? model.device.device}${model.device.gpuName ? ` (${model.device.gpuName})` : ''}`;
    return { badge: localBadge(remote), detail: `${modelLabel(model)} · ${device}` };
  }
  if (remote?.host) {
    return { badge: `Modèle : serveur ${remote.host}`, detail: loading || runtime?.state === 'loading' ? 'Connexion au serveur…' : 'connexion à la prochaine question' };
  }
  if (loading || runtime?.state === 'loading') return { badge: localBadge(remote), detail: 'Chargement du modèle…' };
  if (remote?.refusal && !localModel) return { badge: null, detail: 'Serveur de modèle refusé : recherche seule', title: remote.refusal };
  if (localModel) return { badge: localBadge(remote), detail: `${localModel} · chargé à la première question` };
  return { badge: null, detail: 'Aucun modèle : recherche seule' };
}

function localBadge(remote: RemoteStatus | null): string {
  return remote?.localForSession ? 'Modèle : ce poste (pour cette session)' : 'Modèle : ce poste';
}

/** A model's name for the agent: its GGUF name, unless that only repeats the architecture (`llama`): then its file. */
export function modelLabel(model: { name?: string | undefined; fileName: string; architecture: string }): string {
  return model.name && model.name.toLowerCase() !== model.architecture.toLowerCase() ? model.name : model.fileName;
}
