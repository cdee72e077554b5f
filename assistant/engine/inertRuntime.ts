import type { GenerateOptions, GenerateRequest, GenerationResult, ModelRuntime } from '../../native-models/modelRuntime.js';
import { inertText } from '../text/inertText.js';

/**
 * The runtime whose generated text is inert: control characters are removed from every piece as it streams and from
 * the final text, so nothing a model emits reaches a terminal, the history or an export raw. Everything else is the
 * runtime's own.
 */
export function withInertOutput(runtime: ModelRuntime): ModelRuntime {
  return {
    load: (options, control) => runtime.load(options, control),
    unload: () => runtime.unload(),
    status: () => runtime.status(),
    promptTokens: (request) => runtime.promptTokens(request),
    ...(runtime.readAhead ? { readAhead: runtime.readAhead.bind(runtime) } : {}),
    ...(runtime.yieldReadAhead ? { yieldReadAhead: runtime.yieldReadAhead.bind(runtime) } : {}),
    ...(runtime.readingSpeed ? { readingSpeed: runtime.readingSpeed.bind(runtime) } : {}),
    hardware: () => runtime.hardware(),
    dispose: () => runtime.dispose(),
    async generate(request: GenerateRequest, options: GenerateOptions = {}): Promise<GenerationResult> {
      const { onText } = options;
      const result = await runtime.generate(request, {
        ...options,
        ...(onText
          ? {
              onText: (text: string) => {
                const clean = inertText(text);
                if (clean) onText(clean);
              },
            }
          : {}),
      });
      return { ...result, text: inertText(result.text) };
    },
  };
}
