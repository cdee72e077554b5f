import type { GenerateRequest, ReadAheadRequest } from '../../native-models/modelRuntime.js';
import { type Extract, extractBlock } from './extracts.js';

/**
 * The system prompt of every question. It never changes between questions, so the runtime reuses its evaluated
 * state and only the extracts and the question are evaluated each time.
 */
export const ANSWER_SYSTEM_PROMPT = [
  "Tu es Guichet, l'assistant des agents d'accueil des services publics (France Services, CAF, CPAM, préfectures).",
  "Tu rédiges un brouillon de réponse pour l'agent, qui le relira avant de répondre à l'usager.",
  'Règles :',
  '- Réponds uniquement à partir des extraits numérotés fournis. Après chaque information, indique entre crochets le numéro de son extrait, par exemple [1] ou [2].',
  "- Si les extraits ne permettent pas de répondre, dis-le clairement et indique quel service peut renseigner l'usager. N'invente rien.",
  "- N'invente jamais de montant, de délai, de date, de pièce justificative ni de condition : reprends-les exactement depuis les extraits.",
  "- Adresse-toi à l'agent, en professionnel : phrases courtes, vocabulaire administratif exact, sans formule de politesse.",
  "- Si la situation de l'usager n'est pas précisée (âge, nationalité, statut), présente les cas principaux.",
  '- Réponds en français, en 150 mots au plus.',
].join('\n');

export interface AnswerPromptInput {
  question: string;
  extracts: readonly Extract[];
  /** The agent's previous question, when this one follows it up (« et pour un mineur ? »). */
  previousQuestion?: string;
  maxTokens: number;
  seed?: number;
}

/** What ends the known part of the user's message: the question follows it, last, so all before it can be read ahead. */
export const QUESTION_LEAD = "Question de l'agent :";

/**
 * The generation request of one question: fixed system prompt, then extracts, the instruction and, last, the
 * question. Everything before the question depends only on the extracts: it can be read into the model's context
 * while the agent is still typing ({@link answerBeginning}).
 */
export function answerRequest(input: AnswerPromptInput): GenerateRequest {
  const beginning = answerBeginning(input);
  const messages = beginning.messages.map((message, index) =>
    index === beginning.messages.length - 1 ? { ...message, text: `${message.text} ${input.question}` } : message,
  );
  return {
    ...beginning,
    messages,
    maxTokens: input.maxTokens,
    temperature: 0.2,
    ...(input.seed !== undefined ? { seed: input.seed } : {}),
  };
}

/** The request of a question without the question: what a speculative reading reads. */
export function answerBeginning(input: Omit<AnswerPromptInput, 'question' | 'maxTokens' | 'seed'>): ReadAheadRequest {
  const extracts = input.extracts.length > 0
    ? `Extraits des fiches officielles :\n\n${input.extracts.map(extractBlock).join('\n\n')}`
    : 'Aucun extrait de fiche ne correspond à la question.';
  const context = input.previousQuestion ? `Question précédente de l'agent : ${input.previousQuestion}\n` : '';
  const text = `${extracts}\n\nRédige le brouillon de réponse à la question suivante, avec les numéros d'extraits entre crochets.\n${context}${QUESTION_LEAD}`;
  return { system: ANSWER_SYSTEM_PROMPT, messages: [{ role: 'user', text }] };
}

/**
 * What every question's prompt begins with, whatever its extracts: the system prompt and the opening of the agent's
 * message. Read into the model as soon as it is loaded and idle, so the first question reads only its extracts.
 */
export function systemBeginning(): ReadAheadRequest {
  return { system: ANSWER_SYSTEM_PROMPT, messages: [{ role: 'user', text: '' }] };
}

/** A request without its question: the question is the last message's end, after one space. */
export function withoutQuestion(prompt: GenerateRequest, question: string): ReadAheadRequest {
  const messages = prompt.messages.map((message, index) =>
    index === prompt.messages.length - 1 && message.text.endsWith(` ${question}`) ? { ...message, text: message.text.slice(0, -(question.length + 1)) } : message,
  );
  return { ...(prompt.system !== undefined ? { system: prompt.system } : {}), messages };
}
