import { z } from 'zod';
import type { ModelRuntime } from '../../native-models/modelRuntime.js';
import type { ReplyLibrary } from '../replies/replyLibrary.js';
import type { ReplyService } from '../replies/replyService.js';
import type { Settings } from '../settings/settingsSchema.js';
import type { EngineModule, RepliesContract } from '../contract/engineContract.js';
import { ensureModel, type InstalledModels } from './modelGate.js';

const tone = z.enum(['neutre', 'chaleureux', 'formel']).optional();
const draftSchema = z.object({
  testimony: z.string().max(200_000),
  institution: z.string().max(200).optional(),
  tone,
  useModel: z.boolean().optional(),
  modelPath: z.string().min(1).max(4096).optional(),
});
const entrySchema = z.object({
  institution: z.string().min(1).max(200),
  tone,
  testimony: z.string().max(20_000),
  reply: z.string().min(1).max(20_000),
  tags: z.array(z.string().max(60)).max(20).optional(),
});
const idSchema = z.object({ id: z.string().min(1).max(100) });

export interface RepliesModuleDeps {
  replies: ReplyService;
  library: ReplyLibrary;
  runtime: ModelRuntime;
  settings: Settings;
  /** Installed models, to pick one when none is named. */
  installed?: InstalledModels;
}

/** Services Publics+ over RPC: draft a reply to a testimony, and keep the library of validated replies. */
export function repliesModule(deps: RepliesModuleDeps): EngineModule<RepliesContract> {
  return {
    handlers: {
      'reply.draft': {
        parse: (raw) => draftSchema.parse(raw),
        run: async ({ useModel, modelPath, ...request }, { signal, emit }) => {
          if (useModel !== false) await ensureModel(deps.runtime, deps.settings, modelPath, { signal, ...(deps.installed ? { installed: deps.installed } : {}), onLoading: (message) => emit({ type: 'status', message }) });
          const loaded = useModel !== false && deps.runtime.status().state === 'ready';
          return deps.replies.draftReply(request, { signal, useModel: loaded, ...(loaded ? { onText: (text) => emit({ type: 'token', text }) } : {}) });
        },
      },
      'replies.list': {
        parse: (raw) => z.object({ institution: z.string().max(200).optional(), query: z.string().max(2_000).optional() }).optional().parse(raw),
        run: (filter) => deps.library.list(filter ?? {}),
      },
      'replies.add': { parse: (raw) => entrySchema.parse(raw), run: (entry) => deps.library.add(entry) },
      'replies.update': {
        parse: (raw) => idSchema.extend({ patch: entrySchema.partial() }).parse(raw),
        run: ({ id, patch }) => deps.library.update(id, patch),
      },
      'replies.delete': {
        parse: (raw) => idSchema.parse(raw),
        run: async ({ id }) => {
          await deps.library.delete(id);
          return null;
        },
      },
      'replies.export': { parse: () => undefined, run: () => deps.library.exportJson() },
      'replies.import': {
        parse: (raw) => z.object({ json: z.string().max(20_000_000), mode: z.enum(['merge', 'replace']) }).parse(raw),
        run: ({ json, mode }) => deps.library.importJson(json, { mode }),
      },
    },
  };
}
