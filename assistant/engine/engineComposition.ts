import { createLazyLlamaRuntime } from '../../native-models/lazyLlamaRuntime.js';
import { AskService } from '../ask/askService.js';
import { ReadAheadService } from '../ask/readAheadService.js';
import { sysfsPowerSource } from '../../native-models/powerSource.js';
import { FeedbackStore } from '../feedback/feedbackStore.js';
import { ConversationStore } from '../history/conversationStore.js';
import { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import { openPassageEncoder, type DisposablePassageEncoder } from '../knowledge/passageEncoderFactory.js';
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
import { withInertOutput } from './inertRuntime.js';
import { loadSettings } from '../settings/settingsStore.js';
import type { ModelLibrary } from '../models/modelLibrary.js';
import { ReplyLibrary } from '../replies/replyLibrary.js';
import { ReplyService } from '../replies/replyService.js';

/**
 * The engine's one composition file: builds every service of the engine process from its configuration.
 * The embedder is optional: when it cannot be opened the engine serves full-text search and says so on stderr.
 */
export async function composeEngine(config: EngineConfig, log: (line: string) => void): Promise<AnyEngineModule[]> {
  // One live settings object: `settings.set` updates it in place, and every service reads it when it acts.
  const settings = { ...(config.settings ?? defaultSettings()) };
  const redact = (text: string) => maskPii(text).text;
  const runtime = withInertOutput(createLazyLlamaRuntime({ dataDir: config.dataDir }));
  const encoder = await openEncoder(settings['embedder.path'], settings['runtime.threads'], log);
  const kb = KnowledgeBase.create(config.dataDir, encoder);
  const model = {
    loadedContextSize: () => {
      const status = runtime.status();
      return status.state === 'ready' ? status.model.contextSize : undefined;
    },
    generate: runtime.generate.bind(runtime),
    promptTokens: runtime.promptTokens.bind(runtime),
    readingSpeed: () => runtime.readingSpeed?.(),
  };
  const ask = new AskService(kb, model, { maskForModel: (text) => (settings['privacy.maskBeforeModel'] ? redact(text) : text) });
  const readAhead = new ReadAheadService({ ask, runtime, settings, power: sysfsPowerSource() });
  const conversations = new ConversationStore({ dataDir: config.dataDir, redact });
  const feedback = new FeedbackStore({ dataDir: config.dataDir, redact });
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
  return [
    runtimeModule(runtime),
    systemModule(),
    knowledgeModule(kb),
    assistantModule({ ask, readAhead, runtime, conversations, feedback, settings, installed }),
    repliesModule({ replies, library: replyLibrary, runtime, settings, installed }),
    platformModule({ kb, runtime, models, settings, ...(config.settingsSources ? { settingsSources: config.settingsSources } : {}) }),
    corpusModule({ kb, dataDir: config.dataDir, settings, locked, ...(config.settingsSources ? { settingsSources: config.settingsSources } : {}) }),
    encoderModule,
  ];
}

async function openEncoder(path: string | null, threads: number | null, log: (line: string) => void): Promise<DisposablePassageEncoder | undefined> {
  if (!path) return undefined;
  try {
    return await openPassageEncoder(path, threads === null ? {} : { threads });
  } catch (error) {
    log(`[moteur] modèle d'embedding inutilisable, recherche plein texte seule : ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
