import { z } from 'zod';
import type { ModelRuntime, RuntimeStatus } from '../../native-models/modelRuntime.js';
import { loadFeed } from '../knowledge/feedLoader.js';
import type { CorpusInfo, KnowledgeBase } from '../knowledge/knowledgeBase.js';
import { AUDIENCES, type Audience } from '../knowledge/knowledgeTypes.js';
import type { ModelLibrary } from '../models/modelLibrary.js';
import type { Settings } from '../settings/settingsSchema.js';
import { loadSettings, saveUserSetting, type ResolvedSettings, type SettingsSources } from '../settings/settingsStore.js';
import type { EngineModule, PlatformContract } from '../contract/engineContract.js';

/** What the shells show on their status screen. */
export interface Health {
  engine: { pid: number; uptimeMs: number };
  corpus: Pick<CorpusInfo, 'ageDays' | 'mode'> & { fiches: number; newestFicheDate: string } | null;
  model: RuntimeStatus;
  /** French warnings: unreadable policy or settings, knowledge base missing or old. */
  warnings: string[];
}

export interface PlatformModuleDeps {
  kb: KnowledgeBase;
  runtime: ModelRuntime;
  models: ModelLibrary;
  dataDir: string;
  /** The live settings object every module reads: `settings.set` updates it in place. */
  settings: Settings;
  /** Where settings come from; absent: settings are read-only in this engine. */
  settingsSources?: SettingsSources;
}

const importSchema = z.object({ from: z.string().min(1).max(4096), audience: z.enum(AUDIENCES as [Audience, ...Audience[]]).optional() });
/** Beyond this age, the knowledge base is flagged as old: amounts and procedures change every year. */
const OLD_CORPUS_DAYS = 180;

/** Settings, health, the models list and corpus imports over RPC: the shells' settings and status screens. */
export function platformModule(deps: PlatformModuleDeps): EngineModule<PlatformContract> {
  const started = Date.now();
  return {
    handlers: {
      'settings.get': { parse: () => undefined, run: () => currentSettings(deps) },
      'settings.set': {
        parse: (raw) => z.object({ key: z.string().min(1).max(100), value: z.unknown() }).parse(raw),
        run: async ({ key, value }) => {
          if (!deps.settingsSources) return currentSettings(deps);
          const resolved = await saveUserSetting(deps.settingsSources, key, value);
          Object.assign(deps.settings, resolved.values);
          return resolved;
        },
      },
      health: {
        parse: () => undefined,
        run: async (): Promise<Health> => {
          const info = await deps.kb.info();
          const warnings = deps.settingsSources ? (await loadSettings(deps.settingsSources)).warnings.map((w) => w.message) : [];
          if (!info) warnings.push("Aucune fiche n'est importée : lancez l'import du corpus.");
          else if (info.ageDays > OLD_CORPUS_DAYS) warnings.push(`La base de connaissances date de ${info.ageDays} jours : importez les fiches à jour.`);
          return {
            engine: { pid: process.pid, uptimeMs: Date.now() - started },
            corpus: info ? { fiches: info.manifest.counts.fiches, newestFicheDate: info.manifest.newestFicheDate, ageDays: info.ageDays, mode: info.mode } : null,
            model: deps.runtime.status(),
            warnings,
          };
        },
      },
      'models.list': { parse: () => undefined, run: () => deps.models.list() },
      'corpus.import': {
        parse: (raw) => importSchema.parse(raw),
        run: async ({ from, audience }, { signal, emit }) => {
          const feed = await loadFeed(from, {
            dataDir: deps.dataDir,
            allowDownloads: deps.settings['network.allowDownloads'],
            signal,
            onProgress: ({ label, done, total }) => emit({ type: 'progress', label, done, total }),
            ...(audience ? { audience } : {}),
          });
          return deps.kb.importFeeds([feed], { signal, onProgress: ({ phase, done, total }) => emit({ type: 'progress', label: phase, done, total }) });
        },
      },
    },
  };
}

async function currentSettings(deps: PlatformModuleDeps): Promise<ResolvedSettings> {
  if (deps.settingsSources) return loadSettings(deps.settingsSources);
  return { values: { ...deps.settings }, locked: [], warnings: [] };
}
