/** Services Publics+: reply drafts and the library of validated replies. */
import type { NewReplyEntry, ReplyDraft, ReplyEntry, ReplyRequest } from '../../../../assistant/api.js';
import type { ReplyEntryPatch } from '../../../../assistant/api.js';
import type { ReplyImportReport } from '../../../../assistant/api.js';
import type { ContractStream, ReplyEvent } from '../api/client.js';
import { client } from './clientHolder.js';

export function startReplyDraft(request: ReplyRequest): ContractStream<ReplyEvent, ReplyDraft> {
  return client().reply.draft(request);
}

export function listReplies(query: string): Promise<ReplyEntry[]> {
  return client().replies.list(query.trim() ? { query: query.trim() } : {});
}

export function addReply(entry: NewReplyEntry): Promise<ReplyEntry> {
  return client().replies.add(entry);
}

export function updateReply(id: string, patch: ReplyEntryPatch): Promise<ReplyEntry> {
  return client().replies.update({ id, patch });
}

export async function deleteReply(id: string): Promise<void> {
  await client().replies.delete({ id });
}

export function exportReplies(): Promise<string> {
  return client().replies.export();
}

export function importReplies(json: string, mode: 'merge' | 'replace'): Promise<ReplyImportReport> {
  return client().replies.import({ json, mode });
}
