import type { AnyEngineModule } from '../contract/engineContract.js';
import type { EngineMethods } from '../contract/engineMethods.js';
import type { Settings } from '../settings/settingsSchema.js';
import { SettingsError } from '../settings/settingsError.js';

type FeatureKey = 'features.replyDrafting' | 'features.export' | 'features.corpusUpdate';

/** Methods that only exist with a feature on; `corpus.import` and `corpus.pack` only when they read from the network. */
const GATED: Partial<Record<keyof EngineMethods, FeatureKey[]>> = {
  'reply.draft': ['features.replyDrafting'],
  'replies.list': ['features.replyDrafting'],
  'replies.add': ['features.replyDrafting'],
  'replies.update': ['features.replyDrafting'],
  'replies.delete': ['features.replyDrafting'],
  'replies.import': ['features.replyDrafting'],
  'replies.export': ['features.replyDrafting', 'features.export'],
  'conversations.export': ['features.export'],
};

const NAMES: Record<FeatureKey, string> = {
  'features.replyDrafting': 'La rédaction de réponses aux usagers',
  'features.export': 'L’export',
  'features.corpusUpdate': 'La mise à jour du corpus par le réseau',
};

/** The French refusal of a method whose feature is off. */
export function featureDisabled(feature: FeatureKey): SettingsError {
  return new SettingsError('feature-disabled', `${NAMES[feature]} est désactivée sur ce poste (réglage ${feature}, souvent fixé par le service informatique).`);
}

/**
 * Wraps the modules' handlers so that a method of a feature turned off (by policy, or by the agent) answers with a
 * French {@link SettingsError} `feature-disabled`, read from the live settings at each call. History is gated where
 * it is written (assistantModule), since asking must go on without it.
 */
export function gateFeatures(modules: readonly AnyEngineModule[], settings: Settings): AnyEngineModule[] {
  return modules.map((module) => {
    const handlers: Record<string, unknown> = { ...module.handlers };
    for (const [method, handler] of Object.entries(module.handlers)) {
      const features = [...(GATED[method as keyof EngineMethods] ?? [])];
      if (method === 'corpus.import' || method === 'corpus.pack') features.push('features.corpusUpdate');
      if (features.length === 0) continue;
      handlers[method] = (params: unknown, context: unknown) => {
        for (const feature of features) {
          if (feature === 'features.corpusUpdate' && !readsNetwork(method, (params as { from?: unknown } | undefined)?.from)) continue;
          if (!settings[feature]) return Promise.reject(featureDisabled(feature));
        }
        return (handler as (p: unknown, c: unknown) => Promise<unknown>)(params, context);
      };
    }
    return { ...module, handlers: handlers as AnyEngineModule['handlers'] };
  });
}

/** Whether a corpus method's `from` reads the network: a URL, or, for a pack, no source (the DILA feeds' address). */
function readsNetwork(method: string, from: unknown): boolean {
  const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\//i.test(value);
  if (method === 'corpus.pack') return from === undefined || (Array.isArray(from) && from.some(isUrl));
  return isUrl(from);
}
