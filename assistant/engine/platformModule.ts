import type { ModelRuntime, RuntimeStatus } from '../../native-models/modelRuntime.js';
import type { EngineModule } from '../contract/engineContract.js';
import type { CorpusInfo, KnowledgeBase } from '../knowledge/knowledgeBase.js';
import type { ModelLibrary } from '../models/modelLibrary.js';
import type { SettingKey, Settings } from '../settings/settingsSchema.js';
import { loadSettings, saveUserSetting, type ResolvedSettings, type SettingsSources } from '../settings/settingsStore.js';

/** What the shells show on their status screen. */
export interface Health {
  engine: { pid: number; uptimeMs: number };
  corpus: (Pick<CorpusInfo, 'ageDays' | 'mode'> & { fiches: number; newestFicheDate: string }) | null;
  model: RuntimeStatus;
  /**
   * The model file the next question loads when none is loaded: `runtime.modelPath` as this engine runs it (with
   * `guichet serve --model` applied), `null` = the newest installed model that fits, if any.
   */
  modelPath: string | null;
  /** French warnings: unreadable policy or settings, history kept in plain or sealed, knowledge base missing or old. */
  warnings: string[];
  /**
   * The warnings about this PC that the agent must see on every screen (the shells show them as a banner): an
   * unreadable policy or settings file (locked-down mode), history kept in plain or sealed by another shell. The
   * knowledge base's own warnings have their banner already.
   */
  notices: string[];
}

export interface PlatformModuleDeps {
  kb: KnowledgeBase;
  runtime: ModelRuntime;
  /** The local models, loaded on first use. */
  models: () => Promise<ModelLibrary>;
  /** The live settings object every module reads: `settings.set` updates it in place. */
  settings: Settings;
  /** Where settings come from; absent: settings are read-only in this engine. */
  settingsSources?: SettingsSources;
  /** How history and feedback are kept, when the agent must know (stored in plain, or sealed with a key this shell lacks). */
  atRestWarning?: string;
}

/** Beyond this age, the knowledge base is flagged as old: amounts and procedures change every year. */
const OLD_CORPUS_DAYS = 180;
/** Settings read once when the engine starts: they apply after a restart of the engine. */
const READ_AT_START: readonly SettingKey[] = ['embedder.path'];

type PlatformMethod = 'settings.get' | 'settings.set' | 'health' | 'models.list' | 'models.add' | 'models.pull' | 'models.remove' | 'models.info' | 'models.forgetDevice';

/** Settings, health and the local models: the shells' settings and status screens. */
export function platformModule(deps: PlatformModuleDeps): EngineModule<PlatformMethod> {
  const started = Date.now();
  return {
    handlers: {
      'settings.get': () => currentSettings(deps),
      'settings.set': async ({ key, value }) => {
        if (!deps.settingsSources) return { ...(await currentSettings(deps)), restartRequired: [] };
        const resolved = await saveUserSetting(deps.settingsSources, key, value);
        Object.assign(deps.settings, resolved.values);
        return { ...resolved, restartRequired: READ_AT_START.filter((k) => k === key) };
      },
      health: async (): Promise<Health> => {
        const info = await deps.kb.info();
        const notices = deps.settingsSources ? (await loadSettings(deps.settingsSources)).warnings.map((w) => w.message) : [];
        if (deps.atRestWarning) notices.push(deps.atRestWarning);
        const warnings = [...notices];
        if (!info) warnings.push("Aucune fiche n'est importée : lancez l'import du corpus.");
        else if (info.ageDays > OLD_CORPUS_DAYS) warnings.push(`La base de connaissances date de ${info.ageDays.toLocaleString('fr-FR')} jours : importez les fiches à jour.`);
        return {
          engine: { pid: process.pid, uptimeMs: Date.now() - started },
          corpus: info ? { fiches: info.manifest.counts.fiches, newestFicheDate: info.manifest.newestFicheDate, ageDays: info.ageDays, mode: info.mode } : null,
          model: deps.runtime.status(),
          modelPath: deps.settings['runtime.modelPath'] ?? null,
          warnings,
          notices,
        };
      },
      'models.list': async () => (await deps.models()).list(),
      'models.add': async ({ path }) => (await deps.models()).add(path),
      'models.pull': async ({ name, mirror, sha256 }, { signal, emit }) =>
        (await deps.models()).pull(name, {
          signal,
          ...(mirror ? { mirror } : {}),
          ...(sha256 ? { sha256 } : {}),
          onProgress: (received, total) => emit({ type: 'progress', label: 'Mio', done: Math.round(received / 2 ** 20), total: Math.round((total ?? received) / 2 ** 20) }),
        }),
      'models.remove': async ({ name }) => (await deps.models()).remove(name),
      'models.info': async ({ name }) => ({ ...(await (await deps.models()).info(name)), device: await (await deps.models()).deviceChoice(name) }),
      'models.forgetDevice': async ({ name }) => {
        await (await deps.models()).forgetDeviceChoice(name);
        return null;
      },
    },
  };
}

async function currentSettings(deps: PlatformModuleDeps): Promise<ResolvedSettings> {
  if (deps.settingsSources) return loadSettings(deps.settingsSources);
  // Settings given by the host without their sources (tests, a read-only shell): the host read the policy.
  return { values: { ...deps.settings }, locked: [], warnings: [], policy: { state: 'absent', path: '' } };
}
