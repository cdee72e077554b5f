import { z } from 'zod';
import { AssistantError } from '../assistantError.js';

/** One question of an evaluation set, with the fiche ids that answer it. */
export interface EvalQuestion {
  id: string;
  question: string;
  gold: string[];
}

export interface EvalQuestionResult {
  id: string;
  question: string;
  gold: string[];
  /** 1-based rank of the first gold fiche among the results, `null` when none was returned. */
  rank: number | null;
  topIds: string[];
}

export interface RetrievalEvalReport {
  questions: number;
  k: number;
  recallAt1: number;
  recallAt5: number;
  /** Mean reciprocal rank over the results (at least 5; 0 for a miss). */
  mrr: number;
  perQuestion: EvalQuestionResult[];
  /** Search latency per question, milliseconds. */
  latencyMs: { p50: number; p95: number };
}

const nativeSet = z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), question: z.string().min(1), gold: z.array(z.string()).min(1) }));
const squadSet = z.object({
  data: z.array(z.object({ title: z.string(), paragraphs: z.array(z.object({ qas: z.array(z.object({ id: z.string().optional(), question: z.string() })).optional() })) })),
});

/**
 * Reads an evaluation set: Guichet's own `[{id, question, gold: [ficheId…]}]`, or a PIAF / SQuAD file whose
 * `data[].title` is the gold fiche id (Etalab's `spf_qr_test.json` family).
 */
export function parseEvalSet(json: unknown, origin: string): EvalQuestion[] {
  const native = nativeSet.safeParse(json);
  if (native.success) return native.data;
  const squad = squadSet.safeParse(json);
  if (squad.success) {
    return squad.data.data.flatMap((article) =>
      article.paragraphs.flatMap((paragraph) =>
        (paragraph.qas ?? []).map((qa, index) => ({ id: qa.id ?? `${article.title}-${index + 1}`, question: qa.question, gold: [article.title] })),
      ),
    );
  }
  throw new AssistantError(
    'eval-set-invalid',
    `${origin} n'est pas un jeu d'évaluation reconnu : attendu [{ "id", "question", "gold": ["F1234"] }] ou un fichier PIAF (SQuAD).`,
    { cause: native.error },
  );
}

/** Runs every question through `search` and scores the ranks of the gold fiches. */
export async function evaluateRetrieval(
  questions: readonly EvalQuestion[],
  search: (question: string) => Promise<string[]>,
  k: number,
  onProgress?: (done: number, total: number) => void,
): Promise<RetrievalEvalReport> {
  const perQuestion: EvalQuestionResult[] = [];
  const latencies: number[] = [];
  for (const [index, item] of questions.entries()) {
    const started = performance.now();
    const topIds = (await search(item.question)).slice(0, Math.max(k, 5));
    latencies.push(performance.now() - started);
    const position = topIds.findIndex((id) => item.gold.includes(id));
    perQuestion.push({ id: item.id, question: item.question, gold: item.gold, rank: position >= 0 ? position + 1 : null, topIds: topIds.slice(0, k) });
    onProgress?.(index + 1, questions.length);
  }
  const share = (test: (r: EvalQuestionResult) => boolean) => (perQuestion.length ? perQuestion.filter(test).length / perQuestion.length : 0);
  return {
    questions: perQuestion.length,
    k,
    recallAt1: share((r) => r.rank === 1),
    recallAt5: share((r) => r.rank !== null && r.rank <= 5),
    mrr: perQuestion.length ? perQuestion.reduce((sum, r) => sum + (r.rank ? 1 / r.rank : 0), 0) / perQuestion.length : 0,
    perQuestion,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95) },
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0) * 100) / 100;
}
