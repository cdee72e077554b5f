/**
 * `npm run bench -- ttft`: the wait before the first word (issue 11). On the tuning question sets, the prompt's size
 * with the real 32k Llama tokenizer (`llama-2-tiny-random.gguf`), the tokens read after Ctrl+Entrée with and without
 * the reading done while the agent types, and what that wait would be on a model that reads 20 tokens/s; on PIAF's
 * annotated answers, the share whose answering span is in the prompt; and what a wasted reading costs the next answer.
 * Runs the engine's code in this process (the same AskService and runtime as `guichet serve`).
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AskService } from '../../assistant/ask/askService.js';
import type { AskRequest } from '../../assistant/ask/askTypes.js';
import { ReadAheadService } from '../../assistant/ask/readAheadService.js';
import { createDirectRuntime } from '../../assistant/engine/directRuntime.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';
import { type BenchSection, median, percentile } from './benchReport.js';

const SHARED = new URL('../../../shared/', import.meta.url);
const MODEL = fileURLToPath(new URL('models/llama-2-tiny-random.gguf', SHARED));
const PIAF = fileURLToPath(new URL('eval/piaf/filtered_spf_qr_test.json', SHARED));
/** Tuning sets only: the blind sets (-blind-A, -blind-B, docs/eval/questions-agents.json) are never measured here. */
const SETS = ['agent-questions.json', 'agent-questions-heldout.json', 'agent-questions-heldout2.json'];
/** A laptop CPU reading a 7B model's prompt. */
const PROJECTED_SPEED = 20;
/** An agent types about 5 characters a second. */
const TYPING_CHARS_PER_SECOND = 5;
/** The interface's pause before a search, s (renderer/src/lib/state/typingPreview.svelte.ts). */
const PAUSE_S = 0.3;

interface Figures {
  promptTokens: number;
  /** Read after submit, no reading while typing (the system prompt kept from the previous question, as in use). */
  withoutReadAhead: number;
  /** Read after submit after the typing scenario ran on the tiny model (which reads everything in time). */
  withReadAhead: number;
  /** Projected at 20 tokens/s: what the typing leaves time to read before the question is sent. */
  projectedAfterSubmit: number;
  /** The least any reading could leave at 20 tokens/s: all but what the typing time lets it read, past what was held. */
  boundAfterSubmit: number;
}

export async function ttftBench(): Promise<BenchSection[]> {
  const { sharedFullIndex } = await import('../../test/support/sharedIndex.js');
  const index = await sharedFullIndex();
  const kb = KnowledgeBase.create(index);
  const dataDir = await mkdtemp(join(tmpdir(), 'guichet-bench-ttft-'));
  const runtime = createDirectRuntime({ dataDir });
  try {
    await runtime.load({ path: MODEL, threads: 1, gpu: 'cpu', contextSize: 4096 });
    const model = {
      loadedContextSize: () => 4096,
      generate: runtime.generate.bind(runtime),
      promptTokens: runtime.promptTokens.bind(runtime),
      readingSpeed: () => runtime.readingSpeed?.(),
    };
    const ask = new AskService(kb, model);
    const settings = defaultSettings();
    const readAhead = new ReadAheadService({ ask, runtime, settings, power: { onBattery: async () => false } });
    const questions = (await Promise.all(SETS.map(async (file) => JSON.parse(await readFile(new URL(`../../test/fixtures/${file}`, import.meta.url), 'utf8')) as { question: string }[]))).flat();
    const firstQuestion = await firstAfterLoad(runtime, ask, readAhead, questions[0]!.question);
    const figures: Figures[] = [];
    const wasted: Wasted[] = [];
    let systemTokens = 0;
    const limit = Number(process.env.GUICHET_BENCH_QUESTIONS ?? questions.length);
    questions.splice(limit);
    for (const [i, { question }] of questions.entries()) {
      const request: AskRequest = { question, maxTokens: 16, seed: 1 };
      const other = { question: questions[(i + 7) % questions.length]!.question, maxTokens: 16, seed: 1 };
      const third = { question: questions[(i + 13) % questions.length]!.question, maxTokens: 16, seed: 1 };
      // Without: the previous question (another one) is in the context; its system prompt is shared.
      await ask.ask(other, []);
      const plain = await ask.ask(request, []);
      const promptTokens = plain.stats.promptTokens;
      await ask.ask(other, []);
      const typing = await typeAndRead(readAhead, question);
      const read = await ask.ask(request, []);
      systemTokens ||= await runtime.promptTokens({ system: (await ask.preview(request, [])).beginning?.system ?? '', messages: [{ role: 'user', text: '' }] });
      figures.push({
        promptTokens,
        withoutReadAhead: plain.stats.evaluatedPromptTokens,
        withReadAhead: read.stats.evaluatedPromptTokens,
        projectedAfterSubmit: projected(typing, promptTokens, read.stats.evaluatedPromptTokens),
        boundAfterSubmit: physicalBound(typing, promptTokens, read.stats.evaluatedPromptTokens),
      });
      // Wasted: another question's extracts read while this one was typed, then this one asked.
      await ask.ask(third, []);
      const baseline = await ask.ask(request, []);
      await ask.ask(third, []);
      await readAhead.prepare({ question: other.question, read: true }, []);
      const afterWaste = await ask.ask(request, []);
      wasted.push({ prompt: baseline.stats.promptTokens, baseline: baseline.stats.evaluatedPromptTokens, afterWaste: afterWaste.stats.evaluatedPromptTokens, baselineMs: baseline.stats.readAfterSubmitMs ?? 0, afterWasteMs: afterWaste.stats.readAfterSubmitMs ?? 0 });
    }
    const passages = await passageRecall(ask);
    return [ttftSection(figures, systemTokens, runtime.readingSpeed?.() ?? Number.NaN, firstQuestion), wasteSection(wasted, systemTokens), passages];
  } finally {
    await runtime.dispose();
    kb.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The first question after a load (another prompt in the context): tokens read after submit without and with the
 * system prompt read ahead once the model is idle ({@link ReadAheadService.readSystemPrompt}).
 */
async function firstAfterLoad(runtime: ReturnType<typeof createDirectRuntime>, ask: AskService, readAhead: ReadAheadService, question: string) {
  const other = { messages: [{ role: 'user' as const, text: 'Bonjour' }], maxTokens: 1 };
  await runtime.generate(other);
  const without = await ask.ask({ question, maxTokens: 16, seed: 1 }, []);
  await runtime.generate(other);
  await readAhead.readSystemPrompt();
  const withSystem = await ask.ask({ question, maxTokens: 16, seed: 1 }, []);
  return { without: without.stats.evaluatedPromptTokens, withSystem: withSystem.stats.evaluatedPromptTokens };
}

/** The readings the typing started: when (s after the first key), how long their beginning, how much was kept. */
interface Typing {
  readings: { at: number; prefixTokens: number; reusedTokens: number }[];
  /** Ctrl+Entrée, s after the first key. */
  submitAt: number;
}

/**
 * Types the question word by word at 5 characters/s, as the interface sees it: a search at each pause, a reading when
 * two searches in a row give the same extracts, and one more once the whole question is typed.
 */
async function typeAndRead(readAhead: ReadAheadService, question: string): Promise<Typing> {
  const words = question.split(/\s+/u);
  const total = question.length / TYPING_CHARS_PER_SECOND;
  const readings: Typing['readings'] = [];
  let previous = '';
  const read = async (text: string, at: number) => {
    const { reading } = await readAhead.prepare({ question: text, read: true }, []);
    if (reading.state === 'read' && reading.readTokens > 0) readings.push({ at, prefixTokens: reading.prefixTokens, reusedTokens: reading.reusedTokens });
  };
  for (let n = 1; n <= words.length; n++) {
    const text = words.slice(0, n).join(' ');
    if (text.length < 8) continue;
    const at = text.length / TYPING_CHARS_PER_SECOND + PAUSE_S;
    const key = (await readAhead.prepare({ question: text }, [])).extracts.join('|');
    if (key !== '' && key === previous) await read(text, at);
    previous = key;
  }
  await read(question, total + PAUSE_S);
  return { readings, submitAt: total + 1 };
}

/**
 * Tokens left after submit on a model that reads 20 tokens/s: each reading keeps what the previous one had read of
 * their common beginning and reads on until the next one starts, or the question is sent.
 */
function projected(typing: Typing, promptTokens: number, tailWithReadAhead: number): number {
  let held = 0;
  typing.readings.forEach((reading, i) => {
    const start = i === 0 ? reading.reusedTokens : Math.min(reading.reusedTokens, held);
    const until = typing.readings[i + 1]?.at ?? typing.submitAt;
    held = Math.min(reading.prefixTokens, start + Math.floor(Math.max(0, until - reading.at) * PROJECTED_SPEED));
  });
  if (typing.readings.length === 0) return promptTokens;
  return promptTokens - Math.min(held, promptTokens - tailWithReadAhead);
}

/**
 * Whatever the prompt's order: at 20 tokens/s, from the first pause to Ctrl+Entrée, a model reads at most this much
 * past what the context held at the first reading (the system prompt, kept from the previous question).
 */
function physicalBound(typing: Typing, promptTokens: number, tailWithReadAhead: number): number {
  const first = typing.readings[0];
  if (!first) return promptTokens;
  const readable = Math.floor(Math.max(0, typing.submitAt - first.at) * PROJECTED_SPEED);
  return Math.max(tailWithReadAhead, promptTokens - first.reusedTokens - readable);
}

function ttftSection(figures: Figures[], systemTokens: number, speed: number, firstQuestion: { without: number; withSystem: number }): BenchSection {
  const pick = (f: (x: Figures) => number) => figures.map(f);
  const prompt = pick((x) => x.promptTokens);
  const share = (values: number[]) => median(values.map((v, i) => v / (prompt[i] ?? 1)));
  return {
    title: `Attente avant le premier mot (${figures.length} questions des jeux de réglage, tokenizer Llama 32k)`,
    figures: [
      { name: 'jetons du prompt (médiane)', value: median(prompt), unit: 'jetons', target: '≤ 1 000' },
      { name: 'jetons du prompt (p90)', value: percentile(prompt, 90), unit: 'jetons' },
      { name: 'lus après la question, sans lecture anticipée (médiane)', value: median(pick((x) => x.withoutReadAhead)), unit: 'jetons' },
      { name: 'lus après la question, sans lecture anticipée (p90)', value: percentile(pick((x) => x.withoutReadAhead), 90), unit: 'jetons' },
      { name: 'lus après la question, avec lecture anticipée (médiane)', value: median(pick((x) => x.withReadAhead)), unit: 'jetons' },
      { name: 'lus après la question, avec lecture anticipée (p90)', value: percentile(pick((x) => x.withReadAhead), 90), unit: 'jetons' },
      { name: 'part lue après la question, avec (médiane)', value: share(pick((x) => x.withReadAhead)), unit: '', target: '≤ 0,15' },
      { name: 'à 20 jetons/s, frappe à 5 car./s : lus après (médiane)', value: median(pick((x) => x.projectedAfterSubmit)), unit: 'jetons' },
      { name: 'à 20 jetons/s, frappe à 5 car./s : part lue après (médiane)', value: share(pick((x) => x.projectedAfterSubmit)), unit: '', target: '≤ 0,15' },
      { name: 'à 20 jetons/s : borne physique de la part lue après (médiane)', value: share(pick((x) => x.boundAfterSubmit)), unit: '' },
      { name: 'attente projetée à 20 jetons/s, sans (médiane)', value: median(pick((x) => x.withoutReadAhead)) / PROJECTED_SPEED, unit: 's' },
      { name: 'attente projetée à 20 jetons/s, avec (médiane)', value: median(pick((x) => x.projectedAfterSubmit)) / PROJECTED_SPEED, unit: 's' },
      { name: 'attente projetée à 20 jetons/s, avec (p90)', value: percentile(pick((x) => x.projectedAfterSubmit), 90) / PROJECTED_SPEED, unit: 's' },
      { name: 'vitesse de lecture mesurée du modèle de test', value: speed, unit: 'jetons/s' },
      { name: 'prompt système', value: systemTokens, unit: 'jetons' },
      { name: '1re question après le chargement : lus après, sans prompt système lu d’avance', value: firstQuestion.without, unit: 'jetons' },
      { name: '1re question après le chargement : lus après, prompt système lu d’avance', value: firstQuestion.withSystem, unit: 'jetons' },
    ],
    notes: [
      'Sans lecture anticipée : le prompt système est déjà dans le contexte (question précédente), le reste est lu après Ctrl+Entrée.',
      'Avec : le modèle de test lit tout pendant la frappe. Projection à 20 jetons/s : frappe à 5 car./s, une recherche à chaque mot (pause de 0,3 s), une lecture quand deux recherches de suite donnent les mêmes extraits, envoi 1 s après la dernière touche ; chaque lecture garde le début commun déjà lu.',
      'Borne physique : même avec des extraits connus dès la première touche, un modèle à 20 jetons/s ne lit pendant la frappe que 20 jetons par seconde de frappe au-delà de ce que le contexte tenait déjà (le prompt système) : le reste est lu après Ctrl+Entrée.',
    ],
  };
}

interface Wasted {
  prompt: number;
  baseline: number;
  afterWaste: number;
  baselineMs: number;
  afterWasteMs: number;
}

/**
 * A wasted reading replaces what the context held past the system prompt: when the previous question shared a first
 * extract with this one, that shared part is lost and read again. It never costs more than the prompt without its
 * system prompt (the last figure): the reading itself adds nothing to read.
 */
function wasteSection(wasted: Wasted[], systemTokens: number): BenchSection {
  return {
    title: 'Lecture anticipée perdue (les extraits d’une autre question lus, puis cette question posée)',
    figures: [
      { name: 'lus après la question, sans lecture perdue (médiane)', value: median(wasted.map((w) => w.baseline)), unit: 'jetons' },
      { name: 'lus après la question, après une lecture perdue (médiane)', value: median(wasted.map((w) => w.afterWaste)), unit: 'jetons' },
      { name: 'questions où la lecture perdue fait lire plus', value: wasted.filter((w) => w.afterWaste > w.baseline).length, unit: `sur ${wasted.length}` , target: '0' },
      { name: '… dont la question précédente partageait plus que le prompt système', value: wasted.filter((w) => w.afterWaste > w.baseline && w.baseline < w.prompt - systemTokens - 1).length, unit: `sur ${wasted.length}` },
      { name: 'questions où, après une lecture perdue, plus que le prompt sans son prompt système est lu', value: wasted.filter((w) => w.afterWaste > w.prompt - systemTokens + 1).length, unit: `sur ${wasted.length}`, target: '0' },
      { name: 'ratio des temps de lecture après la question (médiane des paires)', value: median(wasted.map((w) => w.afterWasteMs / Math.max(1, w.baselineMs))), unit: '', target: '≈ 1' },
    ],
  };
}

/** PIAF's annotated answers: is the answering span in the extracts given to the model? */
async function passageRecall(ask: AskService): Promise<BenchSection> {
  const piaf = JSON.parse(await readFile(PIAF, 'utf8')) as { data: { title: string; paragraphs: { qas: { question: string; answers: { text: string }[] }[] }[] }[] };
  const items = piaf.data.flatMap((fiche) => fiche.paragraphs.flatMap((p) => p.qas.map((qa) => ({ gold: fiche.title, question: qa.question, answer: qa.answers[0]?.text ?? '' }))));
  let kept = 0;
  let goldFiche = 0;
  const bestThree: number[] = [];
  for (const item of items) {
    const preview = await ask.preview({ question: item.question }, []);
    const extracts = preview.extracts ?? [];
    const text = normalise(extracts.map((e) => e.text).join(' '));
    if (extracts.some((e) => e.ficheId === item.gold)) goldFiche++;
    if (text.includes(normalise(item.answer))) kept++;
    const top = preview.result.hits.slice(0, 3).map((h) => h.ficheId);
    bestThree.push(top.filter((id) => extracts.some((e) => e.ficheId === id)).length);
  }
  return {
    title: `Passage qui répond dans le prompt (PIAF, ${items.length} réponses annotées)`,
    figures: [
      { name: 'réponse annotée présente dans les extraits', value: kept / items.length, unit: '' },
      { name: 'fiche de la réponse parmi les extraits', value: goldFiche / items.length, unit: '' },
      { name: 'fiches des 3 meilleures représentées (médiane)', value: median(bestThree), unit: 'sur 3', target: '3' },
    ],
  };
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/gu, ' ').trim();
}
