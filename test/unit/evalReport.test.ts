import { describe, expect, it } from 'vitest';
import type { EvalAnswer } from '../../assistant/eval/evalAnswer.js';
import { recordOf } from '../../assistant/eval/evalRecord.js';
import type { EvalResults } from '../../assistant/eval/evalResults.js';
import { summariseModel } from '../../assistant/eval/modelSummary.js';
import type { EvalQuestion } from '../../assistant/eval/questionSet.js';
import { evaluateRetrieval } from '../../assistant/knowledge/retrievalEval.js';
import { renderReport } from '../../scripts/eval/evalReport.js';

const questions: EvalQuestion[] = [
  { id: 'q1', question: 'Passeport <script>alert(1)</script> ?', gold: ['F14930'], kind: 'short', facts: ['86 €'] },
  { id: 'q2', question: 'Horaires de la mairie ?', gold: [], outOfScope: true, kind: 'out-of-scope' },
];

function answer(text: string, ttftMs: number): EvalAnswer {
  return {
    mode: 'model',
    answer: text,
    stopReason: 'stop',
    extracts: [{ n: 1, ficheId: 'F14930' }],
    retrieved: ['F14930'],
    stats: { searchMs: 10, promptTokens: 900, evaluatedPromptTokens: 900, readAfterSubmitMs: ttftMs - 10, ttftMs, promptReadMs: ttftMs - 60, completionTokens: 40, tokensPerSecond: 12.5, totalMs: ttftMs + 3000 },
    engine: { cpuMs: 3000, raplJoules: null, maxRssBytes: 4.5 * 2 ** 30, wallMs: ttftMs + 3000 },
    warnings: [],
  };
}

async function results(label: string): Promise<EvalResults> {
  const retrieval = await evaluateRetrieval(questions, async () => ['F14930'], 5);
  const estimate = { processorWatts: 15, logicalCores: 8 };
  const model = (fileName: string, slow: number) => {
    const answers = [recordOf(questions[0]!, answer('Le passeport coûte 86 € [1] <b>gras</b>.', 1200 * slow), estimate), recordOf(questions[1]!, answer('Les fiches ne répondent pas.', 900 * slow), estimate)];
    return {
      key: `${fileName}:1:abc`,
      path: `/modeles/${fileName}`,
      fileName,
      name: null,
      quantization: 'Q4_K_M',
      architecture: 'llama',
      contextSize: 4096,
      threads: 4,
      device: { device: 'cpu' as const, gpuLayers: 0, totalLayers: 33, reason: 'Processeur.' },
      loadMs: 5400,
      warnings: [],
      summary: summariseModel(answers, questions),
      answers,
    };
  };
  return {
    schema: 'guichet-eval/1',
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T11:00:00.000Z',
    resumed: false,
    guichet: { version: '0.1.0' },
    machine: { label, os: 'Linux 6.1', platform: 'linux', arch: 'x64', cpu: { model: 'Intel Core i5', logicalCores: 8, physicalCores: 4, instructionSets: ['AVX2'] }, ramBytes: 16 * 2 ** 30, gpus: [], llamaCpp: 'b1', energyCounters: false },
    corpus: { version: 'v1', builtAt: '2026-12-01T00:00:00Z', knowledgeDate: '2020-11-05', fiches: 4111, mode: 'fulltext' },
    questionSet: { file: 'q.json', name: 'Test & essai', sha256: 'a'.repeat(64), questions },
    settings: { device: 'cpu', k: 5, maxTokens: 400, seed: 42, processorWatts: 15 },
    retrieval,
    models: [model('lucie-7b.gguf', 1), model('mistral-7b.gguf', 2)],
    failedModels: [{ path: '/modeles/trop-gros.gguf', fileName: 'trop-gros.gguf', message: 'Mémoire insuffisante.' }],
  };
}

// clock: a hang detector only — Vega's first import alone takes seconds on a loaded machine.
const RENDER_TIMEOUT_MS = 60_000;

describe('evaluation report', () => {
  it('is one French page without script or remote resource, its four charts inline SVG, every text escaped', async () => {
    const html = await renderReport({ runs: [{ source: 'a', results: await results('Poste 1') }] });
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/u);
    expect(html).not.toMatch(/<script|<link|<img|https?:\/\/(?!www\.w3\.org)/iu);
    expect(html.match(/<figure class="chart"><h3>[^<]+<\/h3><svg /gu)).toHaveLength(4);
    expect(html).toContain('Passeport &lt;script&gt;alert(1)&lt;/script&gt; ?');
    expect(html).toContain('&lt;b&gt;gras&lt;/b&gt;');
    expect(html).toContain('Test &amp; essai');
    expect(html).toContain("trop-gros.gguf n'a pas pu être évalué : Mémoire insuffisante.");
    // Vega's own ARIA descriptions are English: off, the SVG carries the French title.
    expect(html).not.toContain('X-axis');
    // French figures: percentages, durations, bytes, and the estimate said as such.
    expect(html).toMatch(/100,0\u00a0%/u);
    expect(html).toContain('4,5 Gio');
    expect(html).toContain('(estimation)');
    expect(html).toContain('1,2 s');
  }, RENDER_TIMEOUT_MS);

  it('puts several PCs side by side, each model named with its PC', async () => {
    const html = await renderReport({ runs: [{ source: 'a', results: await results('Poste 1') }, { source: 'b', results: await results('Portable 2') }] });
    expect(html).toContain('lucie-7b.gguf — Portable 2');
    expect(html).toContain('Poste 1, Portable 2');
  }, RENDER_TIMEOUT_MS);
});
