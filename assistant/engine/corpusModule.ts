import type { EngineModule } from '../contract/engineContract.js';
import type { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import type { RemoteAccess } from '../knowledge/passageEncoderFactory.js';
import type { Settings } from '../settings/settingsSchema.js';
import { saveUserSetting, type SettingsSources } from '../settings/settingsStore.js';

export interface CorpusModuleDeps {
  kb: KnowledgeBase;
  dataDir: string;
  /** The live settings. */
  settings: Settings;
  settingsSources?: SettingsSources;
  /** Keys locked by machine policy (an embedder named by policy is not replaced). */
  locked: () => Promise<readonly string[]>;
  /** The shared server, for `remote:<model>` embedders. */
  remoteAccess?: RemoteAccess;
}

/** Imports, vectors and the first run: the long work on the knowledge base, with progress and cancel. */
export function corpusModule(deps: CorpusModuleDeps): EngineModule<'corpus.import' | 'corpus.pack' | 'corpus.embed' | 'corpus.prepare'> {
  return {
    handlers: {
      'corpus.import': async ({ from, audience }, { signal, emit }) => {
        // Loaded here: readers, zip and XML parsing are needed by imports only, not at each engine start.
        const { loadFeeds } = await import('../knowledge/feedLoader.js');
        const feeds = await loadFeeds(from, {
          dataDir: deps.dataDir,
          allowDownloads: deps.settings['network.allowDownloads'],
          signal,
          onProgress: ({ label, done, total }) => emit({ type: 'progress', label, done, total }),
          ...(audience ? { audience } : {}),
        });
        return deps.kb.importFeeds(feeds, { signal, onProgress: ({ phase, done, total }) => emit({ type: 'progress', label: phase, done, total }) });
      },
      'corpus.pack': async ({ from, output, replace }, { signal, emit }) => {
        const { buildCorpusPack } = await import('../knowledge/corpusPack.js');
        return buildCorpusPack({
          from: from ?? [deps.settings['corpus.feedBaseUrl']],
          output,
          replace: replace === true,
          audiences: deps.settings['corpus.audiences'],
          dataDir: deps.dataDir,
          allowDownloads: deps.settings['network.allowDownloads'],
          signal,
          onProgress: ({ label, done, total }) => emit({ type: 'progress', label, done, total }),
        });
      },
      'corpus.embed': async ({ embedder }, { signal, emit }) => {
        const threads = deps.settings['runtime.threads'];
        const { openPassageEncoder } = await import('../knowledge/passageEncoderFactory.js');
        const encoder = await openPassageEncoder(embedder, { ...(threads === null ? {} : { threads }), ...(deps.remoteAccess ? { remote: deps.remoteAccess } : {}) });
        try {
          const report = await deps.kb.reembed({ encoder, signal, onProgress: ({ phase, done, total }) => emit({ type: 'progress', label: phase, done, total }) });
          const remembered = deps.settingsSources !== undefined && !(await deps.locked()).includes('embedder.path');
          if (remembered && deps.settingsSources) await saveUserSetting(deps.settingsSources, 'embedder.path', embedder);
          return { ...report, embedderSetting: remembered };
        } finally {
          await encoder.dispose();
        }
      },
      'corpus.prepare': async (_params, { signal, emit }) => {
        const { ensureKnowledgeBase } = await import('../knowledge/firstRun.js');
        const firstRun = await ensureKnowledgeBase(deps.kb, {
          dataDir: deps.dataDir,
          settings: deps.settings,
          signal,
          onProgress: ({ label, done, total }) => emit({ type: 'progress', label, done, total }),
        });
        return { firstRun, info: (await deps.kb.info()) ?? null };
      },
    },
  };
}
