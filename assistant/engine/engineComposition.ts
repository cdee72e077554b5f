import { createLazyLlamaRuntime } from '../../native-models/lazyLlamaRuntime.js';
import { AskService } from '../ask/askService.js';
import { ReadAheadService } from '../ask/readAheadService.js';
import { sysfsPowerSource } from '../../native-models/powerSource.js';
import { FeedbackStore } from '../feedback/feedbackStore.js';
import { ConversationStore } from '../history/conversationStore.js';
import { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import type { DisposablePassageEncoder, RemoteAccess } from '../knowledge/passageEncoderFactory.js';
import { RemoteModelError } from '../../remote-models/remoteModelError.js';
import { maskPii } from '../privacy/piiRedactor.js';
import { defaultSettings } from '../settings/settingsSchema.js';
import { assistantModule } from './assistantModule.js';
import type { AnyEngineModule, EngineModule } from '../contract/engineContract.js';
import type { EngineConfig } from '../contract/engineConfig.js';
import { knowledgeModule } from './knowledgeModule.js';
import { runtimeModule, systemModule } from './runtimeModule.js';
import { repliesModule } from './repliesModule.js';
import { platformModule } from './platformModule.js';
import { corpusModule } from './corpusModule.js';
import { evalModule } from './evalModule.js';
import { withInertOutput } from './inertRuntime.js';
import { gateFeatures } from './featureGate.js';
import { applyHistoryRetention } from '../history/historyRetention.js';
import { aesGcmLineCipher, historyEncryptedError } from '../history/lineCipher.js';
import { WRAPPED_KEY_FILE } from '../contract/engineConfig.js';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { loadSettings } from '../settings/settingsStore.js';
import type { ModelLibrary } from '../models/modelLibrary.js';
import { ReplyLibrary } from '../replies/replyLibrary.js';
import { ReplyService } from '../replies/replyService.js';
import { FileSecretStore, remoteApiKey } from '../settings/remoteApiKey.js';
import { masksBeforeModel, remoteTarget } from '../settings/remotePolicy.js';
import { remoteModule } from './remoteModule.js';
import { RuntimeSelection } from './runtimeSelection.js';

/**
 * The engine's one composition file: builds every service of the engine process from its configuration.
 * The embedder is optional: when it cannot be opened the engine serves full-text search and says so on stderr.
 */
export async function composeEngine(config: EngineConfig, log: (line: string) => void, keys: { historyKey?: Buffer | undefined } = {}): Promise<AnyEngineModule[]> {
  // One live settings object: `settings.set` updates it in place, and every service reads it when it acts.
  const settings = { ...(config.settings ?? defaultSettings()) };
  const redact = (text: string) => maskPii(text).text;
  // Keys machine policy sets, read once: they change only with the policy file, which IT edits between sessions.
  const policyLocked = config.settingsSources ? (await loadSettings(config.settingsSources)).locked : [];
  // The desktop app's data key (unwrapped by the OS keystore) seals history, feedback and the API key entered here.
  const cipher = keys.historyKey ? aesGcmLineCipher(keys.historyKey) : undefined;
  const secrets = FileSecretStore.forDataDir(config.dataDir, cipher);
  // The model on this PC, or the shared server the settings name (policy checked on every call).
  const selection = new RuntimeSelection({ local: createLazyLlamaRuntime({ dataDir: config.dataDir }), settings, secrets });
  const runtime = withInertOutput(selection);
  // `embedder.path` = `remote:<model>`: the shared server's embedder, policy checked when it is opened.
  const remoteAccess: RemoteAccess = async () => {
    const target = remoteTarget(settings);
    if (!target) throw new RemoteModelError('remote-not-allowed', "Aucun serveur de modèle partagé n'est configuré (runtime.remote.url) : les embeddings distants sont indisponibles.");
    const apiKey = await remoteApiKey(target.apiKeyFile, secrets);
    return { url: target.url, ...(apiKey ? { apiKey } : {}) };
  };
  const encoder = await openEncoder(settings['embedder.path'], settings['runtime.threads'], remoteAccess, log);
  const kb = KnowledgeBase.create(config.dataDir, encoder, log);
  const model = {
    loadedContextSize: () => {
      const status = runtime.status();
      return status.state === 'ready' ? status.model.contextSize : undefined;
    },
    generate: runtime.generate.bind(runtime),
    promptTokens: runtime.promptTokens.bind(runtime),
    readingSpeed: () => runtime.readingSpeed?.(),
  };
  // With a shared server, the question is masked before it leaves the PC unless policy itself says not to.
  const masks = () => masksBeforeModel(settings, policyLocked, selection.remoteConfigured);
  const ask = new AskService(kb, model, { maskForModel: (text) => (masks() ? redact(text) : text) });
  const readAhead = new ReadAheadService({ ask, runtime, settings, power: sysfsPowerSource() });
  const sealed = cipher ? { cipher } : {};
  const conversations = new ConversationStore({ dataDir: config.dataDir, redact, ...sealed });
  const feedback = new FeedbackStore({ dataDir: config.dataDir, redact, ...sealed });
  const atRestWarning = cipher ? undefined : await plainStorageWarning(config);
  // The models library reads GGUF headers through node-llama-cpp: loaded when a model is first looked for.
  let library: Promise<ModelLibrary> | undefined;
  const models = (): Promise<ModelLibrary> => (library ??= import('../models/modelLibrary.js').then((m) => m.createModelLibrary({ dataDir: config.dataDir, settings })));
  const installed = async () => (await models()).list();
  const replyLibrary = new ReplyLibrary({ dataDir: config.dataDir, redact });
  const replies = new ReplyService({
    library: replyLibrary,
    search: (query, options) => kb.search({ query, k: options.k, ...(options.signal ? { signal: options.signal } : {}) }),
    generate: runtime.generate.bind(runtime),
    aiMention: () => settings['replies.aiMention'],
    redact,
    measure: { promptTokens: model.promptTokens, contextSize: model.loadedContextSize },
  });
  const encoderModule: EngineModule<never> = { handlers: {}, dispose: async () => encoder?.dispose() };
  const locked = async () => (config.settingsSources ? (await loadSettings(config.settingsSources)).locked : []);
  const retention = settings['history.retentionDays'];
  if (retention !== null) await applyHistoryRetention(conversations, retention, log);
  return gateFeatures([
    // The system prompt is read as soon as the model is idle: the first question then reads only its extracts.
    runtimeModule(runtime, { onLoaded: () => void readAhead.readSystemPrompt().catch((error: unknown) => log(`Lecture anticipée du prompt système impossible : ${error instanceof Error ? error.message : String(error)}`)) }),
    systemModule(),
    knowledgeModule(kb),
    assistantModule({ ask, readAhead, runtime, conversations, feedback, settings, installed, locked: async () => policyLocked }),
    repliesModule({ replies, library: replyLibrary, runtime, settings, installed }),
    platformModule({ kb, runtime, models, settings, ...(config.settingsSources ? { settingsSources: config.settingsSources } : {}), ...(atRestWarning ? { atRestWarning } : {}) }),
    remoteModule({ selection, settings, secrets, locked: async () => policyLocked }),
    corpusModule({ kb, dataDir: config.dataDir, settings, locked, remoteAccess, ...(config.settingsSources ? { settingsSources: config.settingsSources } : {}) }),
    evalModule({ ask, runtime, settings }),
    encoderModule,
  ], settings);
}

/** Why history is not sealed, when the agent must know: the desktop app found no keystore, or this shell lacks its key. */
async function plainStorageWarning(config: EngineConfig): Promise<string | undefined> {
  if (config.atRest?.state === 'plain') return config.atRest.warning;
  if (await access(join(config.dataDir, WRAPPED_KEY_FILE)).then(() => true, () => false)) return historyEncryptedError().message;
  return undefined;
}

async function openEncoder(path: string | null, threads: number | null, remote: RemoteAccess, log: (line: string) => void): Promise<DisposablePassageEncoder | undefined> {
  if (!path) return undefined;
  try {
    const { openPassageEncoder } = await import('../knowledge/passageEncoderFactory.js');
    return await openPassageEncoder(path, { ...(threads === null ? {} : { threads }), remote });
  } catch (error) {
    log(`[moteur] modèle d'embedding inutilisable, recherche plein texte seule : ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
