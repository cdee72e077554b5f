import { type ChatWrapper, GeneralChatWrapper, type LlamaModel, resolveChatWrapper } from 'node-llama-cpp';
import type { ChatFormat } from './modelRuntime.js';

/** The chat format of a loaded model, the wrapper that renders it and, when it is a guess, a French warning. */
export interface ResolvedChatFormat {
  wrapper: ChatWrapper;
  format: ChatFormat;
  warning?: string;
}

/**
 * Resolves the chat format with node-llama-cpp, never by hand: a GGUF's own template (Lucie, Mistral v0.3, Llama 3,
 * Qwen 2.5…) becomes the equivalent built-in wrapper or is rendered by its Jinja engine. A GGUF without a template is
 * still accepted — our policy, because IT may ship older conversions — with the format node-llama-cpp recognises from
 * the name and tokenizer (`inferred`) or a neutral one (`generic`), and a warning for the agent.
 */
export function resolveChatFormat(model: LlamaModel, fileName: string): ResolvedChatFormat {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const hasTemplate = typeof template === 'string' && template.trim() !== '';
  const wrapper = resolveChatWrapper(model, { warningLogs: false }) ?? new GeneralChatWrapper();
  if (hasTemplate) return { wrapper, format: { source: 'gguf', wrapper: wrapper.wrapperName } };
  if (wrapper instanceof GeneralChatWrapper) {
    return {
      wrapper,
      format: { source: 'generic', wrapper: wrapper.wrapperName },
      warning: `Le modèle ${fileName} ne contient pas de modèle de conversation (chat template) et son format n'est pas reconnu : format générique utilisé, les réponses peuvent être de mauvaise qualité. Préférez un modèle « Instruct » récent.`,
    };
  }
  return {
    wrapper,
    format: { source: 'inferred', wrapper: wrapper.wrapperName },
    warning: `Le modèle ${fileName} ne contient pas de modèle de conversation (chat template) : format « ${wrapper.wrapperName} » déduit de son nom et de son vocabulaire.`,
  };
}
