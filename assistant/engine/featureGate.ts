import type { AnyEngineModule } from '../contract/engineContract.js';
import type { EngineMethods } from '../contract/engineMethods.js';
import type { Settings } from '../settings/settingsSchema.js';
import { SettingsError } from '../settings/settingsError.js';

type FeatureKey = 'features.replyDrafting' | 'features.export' | 'features.corpusUpdate';

/** Methods that only exist with a feature on; `corpus.import` only when it reads from the network. */
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
      if (method === 'corpus.import') features.push('features.corpusUpdate');
      if (features.length === 0) continue;
      handlers[method] = (params: unknown, context: unknown) => {
        for (const feature of features) {
          if (feature === 'features.corpusUpdate' && !isRemote((params as { from?: unknown } | undefined)?.from)) continue;
          if (!settings[feature]) return Promise.reject(featureDisabled(feature));
        }
        return (handler as (p: unknown, c: unknown) => Promise<unknown>)(params, context);
      };
    }
    return { ...module, handlers: handlers as AnyEngineModule['handlers'] };
  });
}

function isRemote(from: unknown): boolean {
  return typeof from === 'string' && /^https?:\/\//i.test(from);
}
