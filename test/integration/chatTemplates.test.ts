/**
 * « Load any GGUF chat model by path; the chat template comes from the GGUF through what node-llama-cpp provides. »
 * The real Lucie, Mistral v0.3, Llama 3.2 and Qwen 2.5 files are not on this machine: their published chat templates
 * (test/fixtures/chat-templates, sources in its README) are written into copies of the real tiny llama GGUF, each
 * loaded and run in the engine process (never in this one).
 *
 * The engine does not expose the rendered prompt: it is rendered here, without weights, by the wrapper node-llama-cpp
 * chose in the engine (same class, same template). The wrapper choice itself depends on the model's vocabulary: the
 * tiny model has the llama-2 one, not these models' special tokens, so the real files may get a specialised wrapper
 * where these get `JinjaTemplate` (both render the same template).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChatHistoryItem,
  ChatMLChatWrapper,
  type ChatWrapper,
  JinjaTemplateChatWrapper,
  Llama3_1ChatWrapper,
  Llama3ChatWrapper,
  MistralChatWrapper,
  QwenChatWrapper,
  readGgufFileInfo,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { withMetadata } from '../support/ggufFixtures.js';
import { sharedFile } from '../support/sharedData.js';

const TINY_LLAMA = sharedFile('models/llama-2-tiny-random.gguf');
const TEMPLATES = new URL('../fixtures/chat-templates/', import.meta.url);
const SYSTEM = 'Tu es un assistant du service public.';
const QUESTION = 'Comment refaire ma carte d’identité ?';

interface Case {
  model: string;
  /** The `.jinja` fixture. */
  file: string;
  /** The wrapper node-llama-cpp resolves in the engine for this template on the tiny llama-2 vocabulary. */
  wrapper: string;
  /** The template's own markers, expected in the rendered prompt. */
  markers: string[];
}

const CASES: Case[] = [
  {
    model: 'Lucie-7B-Instruct-v1.1',
    file: 'lucie-7b-instruct-v1.1.jinja',
    // Lucie's template is Llama 3's header format: node-llama-cpp finds its Llama 3 wrapper equivalent.
    wrapper: 'Llama 3',
    markers: [
      `<|start_header_id|>system<|end_header_id|>\n\n${SYSTEM}<|eot_id|>`,
      `<|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|>`,
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
    ],
  },
  {
    model: 'Mistral-7B-Instruct-v0.3',
    file: 'mistral-7b-instruct-v0.3.jinja',
    wrapper: 'JinjaTemplate',
    // This template prepends the system prompt to the last user turn only; node-llama-cpp renders the history with the
    // answer turn after it, sees the system prompt vanish and falls back to putting it, framed by « ### System
    // message … ---- », in the user turn: `[INST] ### System message\n\n<system>\n\n----\n\n<question>[/INST]`.
    // (llama.cpp and transformers give `[INST] <system>\n\n<question>[/INST]`.)
    markers: ['[INST] ', `${QUESTION}[/INST]`],
  },
  {
    model: 'Llama-3.2-3B-Instruct',
    file: 'llama-3.2-3b-instruct.jinja',
    wrapper: 'JinjaTemplate',
    markers: [
      '<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n',
      `<|start_header_id|>user<|end_header_id|>\n\n${QUESTION}<|eot_id|>`,
      '<|start_header_id|>assistant<|end_header_id|>\n\n',
    ],
  },
  {
    model: 'Qwen2.5-7B-Instruct',
    file: 'qwen2.5-7b-instruct.jinja',
    wrapper: 'JinjaTemplate',
    markers: [`<|im_start|>system\n${SYSTEM}<|im_end|>\n`, `<|im_start|>user\n${QUESTION}<|im_end|>\n`, '<|im_start|>assistant\n'],
  },
];

/** The wrapper classes the engine may report, rebuilt here from the template alone (no model, no weights). */
const WRAPPERS: Record<string, (template: string) => ChatWrapper> = {
  JinjaTemplate: (template) => new JinjaTemplateChatWrapper({ template }),
  'Llama 3': () => new Llama3ChatWrapper(),
  'Llama 3.1': () => new Llama3_1ChatWrapper(),
  Mistral: () => new MistralChatWrapper(),
  ChatML: () => new ChatMLChatWrapper(),
  Qwen: () => new QwenChatWrapper(),
};

/** The prompt of one system message and one question, as `wrapperName` renders it (special tokens as their text). */
function renderPrompt(wrapperName: string, template: string): string {
  const build = WRAPPERS[wrapperName];
  if (!build) throw new Error(`Wrapper ${wrapperName} inattendu : ajoutez-le à WRAPPERS.`);
  const history: ChatHistoryItem[] = [
    { type: 'system', text: SYSTEM },
    { type: 'user', text: QUESTION },
    { type: 'model', response: [] },
  ];
  return build(template).generateContextState({ chatHistory: history }).contextText.toString();
}

let dir: string;
let host: EngineHost;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-chat-templates-'));
  host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir: dir } }) });
});
afterAll(async () => {
  await host.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("published chat templates, read from the GGUF by node-llama-cpp (tiny llama weights)", () => {
  for (const { model, file, wrapper, markers } of CASES) {
    it(`${model}: loads with the GGUF's template (${wrapper}), renders its markers, answers`, async () => {
      const template = await readFile(new URL(file, TEMPLATES), 'utf8');
      const path = await withMetadata(TINY_LLAMA, join(dir, file.replace(/\.jinja$/, '.gguf')), {
        'tokenizer.chat_template': { type: 'string', value: template },
      });
      // The rewritten file carries the template byte for byte (metadata read only: no weights in this process).
      expect((await readGgufFileInfo(path, { readTensorInfo: false })).metadata.tokenizer?.chat_template).toBe(template);

      const loaded = await host.call('models.load', { path, threads: 1 });
      expect(loaded.chatFormat).toEqual({ source: 'gguf', wrapper });
      expect(loaded.warnings).toEqual([]);

      const prompt = renderPrompt(loaded.chatFormat.wrapper, template);
      for (const marker of markers) expect(prompt).toContain(marker);
      expect(prompt).toContain(SYSTEM);
      if (wrapper !== 'JinjaTemplate') {
        // A specialised wrapper stands in for the template only if it renders the same prompt.
        expect(prompt).toBe(renderPrompt('JinjaTemplate', template));
      }

      const reply = await host.call('generate', { system: SYSTEM, messages: [{ role: 'user', text: QUESTION }], maxTokens: 8 });
      expect(['maxTokens', 'stop']).toContain(reply.reason);
      expect(reply.stats.completionTokens).toBeGreaterThan(0);
      expect(reply.stats.completionTokens).toBeLessThanOrEqual(8);
      expect(reply.stats.promptTokens).toBeGreaterThan(0);
    });
  }
});
