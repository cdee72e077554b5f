import type { ChatMessage, GenerateRequest } from '../../native-models/modelRuntime.js';
import { QUESTION_LEAD } from './askPrompt.js';
import { type Extract, extractBlock } from './extracts.js';

/** What the model was given and wrote in a conversation so far: the next turn's prompt starts with it, unchanged. */
export interface ConversationTurns {
  system: string | undefined;
  /** Every user and assistant message sent and written, oldest first, as the model saw them (masked). */
  messages: ChatMessage[];
  /** Every extract given so far, numbered 1…N across the turns: `[n]` of any turn maps here. */
  extracts: Extract[];
}

/** Conversations remembered at most (the engine serves one agent: the last few are enough). */
const KEPT = 8;

/**
 * The conversations' turns as the model last saw them, in the engine's memory only (the history on disk is masked
 * and holds no extracts). A follow-up built on them renders as the previous prompt plus the answer plus a new user
 * turn: the model's context already holds all but the new turn, which is all that is read (where the chat template
 * renders earlier turns unchanged, as the Llama, Mistral and ChatML ones do).
 */
export class TurnMemory {
  private readonly turns = new Map<string, ConversationTurns>();

  get(conversationId: string | undefined): ConversationTurns | undefined {
    return conversationId === undefined ? undefined : this.turns.get(conversationId);
  }

  keep(conversationId: string, turns: ConversationTurns): void {
    this.turns.delete(conversationId);
    this.turns.set(conversationId, turns);
    for (const oldest of this.turns.keys()) {
      if (this.turns.size <= KEPT) break;
      this.turns.delete(oldest);
    }
  }
}

/** The turns after an answer: the prompt's messages, then what the model wrote. */
export function turnsAfter(prompt: GenerateRequest, extracts: readonly Extract[], answer: string): ConversationTurns {
  return { system: prompt.system, messages: [...prompt.messages, { role: 'assistant', text: answer }], extracts: [...extracts] };
}

/**
 * The user message of a follow-up: only the extracts not given before (numbered after them), then the question, last,
 * so that everything before it can be read ahead like a first question's.
 */
export function followUpText(fresh: readonly Extract[], question: string): string {
  const extracts = fresh.length > 0 ? `Nouveaux extraits des fiches officielles :\n\n${fresh.map(extractBlock).join('\n\n')}\n\n` : '';
  return `${extracts}Rédige le brouillon de réponse à la question suivante, avec les numéros d'extraits entre crochets.\n${QUESTION_LEAD} ${question}`;
}

/** The extracts of a follow-up that the conversation has not given yet, numbered after those it has. */
export function freshExtracts(turns: ConversationTurns, selected: readonly Extract[]): Extract[] {
  const given = new Set(turns.extracts.map((extract) => extract.chunkId));
  return selected.filter((extract) => !given.has(extract.chunkId)).map((extract, index) => ({ ...extract, n: turns.extracts.length + index + 1 }));
}
