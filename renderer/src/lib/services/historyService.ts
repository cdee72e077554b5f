/** Conversations kept on this PC. */
import type { Conversation, ConversationSummary } from '../../../../assistant/api.js';
import { client } from './clientHolder.js';

export function listConversations(limit: number, offset: number): Promise<{ total: number; conversations: ConversationSummary[] }> {
  return client().conversations.list({ limit, offset });
}

export function getConversation(id: string): Promise<Conversation> {
  return client().conversations.get({ id });
}

export async function deleteConversation(id: string): Promise<void> {
  await client().conversations.delete({ id });
}

export function exportConversation(id: string, format: 'markdown' | 'json'): Promise<string> {
  return client().conversations.export({ id, format });
}
