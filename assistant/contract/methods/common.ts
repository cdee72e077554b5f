import { z } from 'zod';
import { AUDIENCES, type Audience } from '../../../corpus/fiche.js';
import { REPLY_TONES, type ReplyTone } from '../../replies/replyEntry.js';

/** Schemas several method groups share: one of each. */
export const noParams = z.object({}).strict().optional();
export const audienceSchema = z.enum(AUDIENCES as [Audience, ...Audience[]]);
export const audiencesSchema = z.array(audienceSchema).min(1).max(3).optional();
export const idParams = z.object({ id: z.string().min(1).max(100) });
/** A path on this PC (model file, feed, embedder folder). */
export const pathSchema = z.string().min(1).max(4096);
/** A chat model to load first, when not the one loaded. */
export const modelPathSchema = pathSchema.optional();
export const toneSchema = z.enum(REPLY_TONES as [ReplyTone, ...ReplyTone[]]);
export const gpuSchema = z.enum(['auto', 'cpu', 'vulkan', 'cuda', 'metal']);

/** Progress of long work (import, vectors, download, evaluation): `done` of `total`, with a French label. */
export type ProgressEvent = { type: 'progress'; label: string; done: number; total: number };
/** A French line saying what the engine is doing (loading the model…). */
export type StatusEvent = { type: 'status'; message: string };
