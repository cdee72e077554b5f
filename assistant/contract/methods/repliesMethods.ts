import { z } from 'zod';
import type { ReplyEntry, ReplyImportReport } from '../../replies/replyLibrary.js';
import type { ReplyDraft } from '../../replies/replyService.js';
import { call, stream } from '../method.js';
import { idParams, modelPathSchema, noParams, type StatusEvent, toneSchema } from './common.js';

const entryParams = z.object({
  institution: z.string().min(1).max(200),
  tone: toneSchema.optional(),
  testimony: z.string().max(20_000),
  reply: z.string().min(1).max(20_000),
  tags: z.array(z.string().max(60)).max(20).optional(),
});

/** Events of `reply.draft`. */
export type ReplyDraftEvent = StatusEvent | { type: 'token'; text: string } | { type: 'done'; reason: 'completed' | 'stopped'; text?: string };

/** Services Publics+: reply drafting and the library of validated replies. */
export const REPLIES_METHODS = {
  'reply.draft': stream(
    z.object({
      testimony: z.string().max(200_000),
      institution: z.string().max(200).optional(),
      tone: toneSchema.optional(),
      useModel: z.boolean().optional(),
      modelPath: modelPathSchema,
    }),
  ).returns<ReplyDraft, ReplyDraftEvent>(),
  'replies.list': call(z.object({ institution: z.string().max(200).optional(), query: z.string().max(2_000).optional() }).optional()).returns<ReplyEntry[]>(),
  'replies.add': call(entryParams).returns<ReplyEntry>(),
  'replies.update': call(idParams.extend({ patch: entryParams.partial() })).returns<ReplyEntry>(),
  'replies.delete': call(idParams).returns<null>(),
  'replies.export': call(noParams).returns<string>(),
  'replies.import': call(z.object({ json: z.string().max(20_000_000), mode: z.enum(['merge', 'replace']) })).returns<ReplyImportReport>(),
};
