import { createLlamaRuntime } from '../../native-models/llamaRuntime.js';
import { AskService } from '../ask/askService.js';
import { FeedbackStore } from '../feedback/feedbackStore.js';
import { ConversationStore } from '../history/conversationStore.js';
import { KnowledgeBase } from '../knowledge/knowledgeBase.js';
import { openPassageEncoder, type DisposablePassageEncoder } from '../knowledge/passageEncoderFactory.js';
import { maskPii } from '../privacy/piiRedactor.js';
import type { RpcContract } from '../contract/protocol.js';
import { defaultSettings } from '../settings/settingsSchema.js';
import { assistantModule } from './assistantModule.js';
import type { EngineModule } from '../contract/engineContract.js';
import type { EngineConfig } from '../host/engineProcess.js';
import { knowledgeModule } from './knowledgeModule.js';
import { runtimeModule, systemModule } from './runtimeModule.js';
import { repliesModule } from './repliesModule.js';
import { platformModule } from './platformModule.js';
import { createModelLibrary } from '../models/modelLibrary.js';
import { ReplyLibrary } from '../replies/replyLibrary.js';
import { ReplyService } from '../replies/replyService.js';

/**
 * The engine's one composition file: builds every service of the engine process from its configuration.
 * The embedder is optional: when it cannot be opened the engine serves full-text search and says so on stderr.
 */
export async function composeEngine(config: EngineConfig, log: (line: string) => void): Promise<EngineModule<RpcContract>[]> {
  const settings = { ...(config.settings ?? defaultSettings()) };
  const redact = (text: string) => maskPii(text).text;
  const runtime = createLlamaRuntime({ dataDir: config.dataDir });
  const encoder = await openEncoder(settings['embedder.path'], settings['runtime.threads'], log);
  const kb = KnowledgeBase.create(config.dataDir, encoder);
  const model = {
    loadedContextSize: () => {
      const status = runtime.status();
      return status.state === 'ready' ? status.model.contextSize : undefined;
    },
    generate: runtime.generate.bind(runtime),
    promptTokens: runtime.promptTokens.bind(runtime),
  };
  const ask = new AskService(kb, model, settings['privacy.maskBeforeModel'] ? { maskForModel: redact } : {});
  const conversations = new ConversationStore({ dataDir: config.dataDir, redact });
  const feedback = new FeedbackStore({ dataDir: config.dataDir, redact });
  const models = createModelLibrary({ dataDir: config.dataDir, settings });
  const installed = () => models.list();
  const replyLibrary = new ReplyLibrary({ dataDir: config.dataDir, redact });
  const replies = new ReplyService({
    library: replyLibrary,
    search: (query, options) => kb.search({ query, k: options.k, ...(options.signal ? { signal: options.signal } : {}) }),
    generate: runtime.generate.bind(runtime),
    aiMention: settings['replies.aiMention'],
    redact,
    measure: { promptTokens: model.promptTokens, contextSize: model.loadedContextSize },
  });
  const encoderModule: EngineModule<RpcContract> = { handlers: {}, dispose: async () => encoder?.dispose() };
  return [
    runtimeModule(runtime),
    systemModule(),
    knowledgeModule(kb),
    assistantModule({ ask, runtime, conversations, feedback, settings, installed }),
    repliesModule({ replies, library: replyLibrary, runtime, settings, installed }),
    platformModule({
      kb,
      runtime,
      models,
      dataDir: config.dataDir,
      settings,
      ...(config.settingsSources ? { settingsSources: config.settingsSources } : {}),
    }),
    encoderModule,
  ] as EngineModule<RpcContract>[];
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
