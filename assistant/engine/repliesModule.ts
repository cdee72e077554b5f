import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { EngineModule } from '../contract/engineContract.js';
import type { ReplyDraftEvent, REPLIES_METHODS } from '../contract/methods/repliesMethods.js';
import type { ReplyLibrary } from '../replies/replyLibrary.js';
import type { ReplyService } from '../replies/replyService.js';
import type { Settings } from '../settings/settingsSchema.js';
import { ensureModel, type InstalledModels } from './modelGate.js';
import { batchedTokens } from './tokenEvents.js';

export interface RepliesModuleDeps {
  replies: ReplyService;
  library: ReplyLibrary;
  runtime: ModelRuntime;
  settings: Settings;
  /** Installed models, to pick one when none is named. */
  installed?: InstalledModels;
}

/** Services Publics+: draft a reply to a testimony, and keep the library of validated replies. */
export function repliesModule(deps: RepliesModuleDeps): EngineModule<keyof typeof REPLIES_METHODS> {
  return {
    handlers: {
      'reply.draft': async ({ useModel, modelPath, ...request }, { signal, emit }) => {
        const out = batchedTokens(emit, (text): ReplyDraftEvent => ({ type: 'token', text }));
        if (useModel !== false) {
          await ensureModel(deps.runtime, deps.settings, modelPath, { signal, ...(deps.installed ? { installed: deps.installed } : {}), onLoading: (message) => out.emit({ type: 'status', message }) });
        }
        const loaded = useModel !== false && deps.runtime.status().state === 'ready';
        const draft = await deps.replies.draftReply(request, { signal, useModel: loaded, ...(loaded ? { onText: (text) => out.emit({ type: 'token', text }) } : {}) });
        out.flush();
        const stopped = draft.stopReason === 'aborted';
        emit({ type: 'done', reason: stopped ? 'stopped' : 'completed', ...(stopped ? { text: draft.reply } : {}) });
        return draft;
      },
      'replies.list': (filter) => deps.library.list(filter ?? {}),
      'replies.add': (entry) => deps.library.add(entry),
      'replies.update': ({ id, patch }) => deps.library.update(id, patch),
      'replies.delete': async ({ id }) => {
        await deps.library.delete(id);
        return null;
      },
      'replies.export': () => deps.library.exportJson(),
      'replies.import': ({ json, mode }) => deps.library.importJson(json, { mode }),
    },
  };
}
