import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { AUDIENCES, type Audience } from '../../assistant/knowledge/knowledgeTypes.js';
import { ficheMarkdown } from '../../assistant/knowledge/ficheMarkdown.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { openPassageEncoder } from '../../assistant/knowledge/passageEncoderFactory.js';
import { evaluateRetrieval, parseEvalSet, type RetrievalEvalReport } from '../../assistant/knowledge/retrievalEval.js';
import { contextOf, type CliContext } from '../cliContext.js';
import { CliUsageError, printResult, progressReporter } from '../cliOutput.js';
import { formatHits } from './searchFormat.js';

/** `guichet search`, `guichet fiche`, `guichet eval retrieval`: the knowledge base, read-only. */
export function registerKnowledgeCommands(program: Command): void {
  program
    .command('search')
    .description('chercher les fiches qui répondent à une question')
    .argument('<question>', 'la question, telle que tapée au guichet')
    .option('--k <nombre>', 'nombre de fiches (1 à 50)', '5')
    .option('--audience <public>', `public : ${AUDIENCES.join(', ')} (plusieurs séparés par des virgules)`)
    .option('--source <source>', 'source : dila ou travail-emploi')
    .action(async (question: string, options: { k: string; audience?: string; source?: string }, command: Command) => {
      const ctx = await contextOf(command);
      await withKnowledgeBase(ctx, async (kb) => {
        const result = await kb.search({
          query: question,
          k: positiveInt(options.k, '--k'),
          ...audienceOption(options.audience),
          ...(options.source ? { sources: [sourceOption(options.source)] } : {}),
        });
        const hits = result.hits.map(({ ficheId, title, audience, url, date, score, passages }) => ({
          ficheId, title, audience, url, date, score, passages: passages.map(({ text, sectionPath }) => ({ text, sectionPath })),
        }));
        printResult(ctx, hits, () => formatHits(result));
      }, { embedder: true });
    });

  program
    .command('fiche')
    .description("afficher une fiche entière depuis l'index (lecture hors ligne)")
    .argument('<id>', 'identifiant de la fiche, par exemple F1342')
    .option('--audience <public>', 'version de la fiche pour ce public, quand elle existe pour plusieurs')
    .option('--markdown', 'sortie Markdown (par défaut)')
    .action(async (id: string, options: { audience?: string; markdown?: boolean }, command: Command) => {
      const ctx = await contextOf(command);
      await withKnowledgeBase(ctx, async (kb) => {
        const audience = options.audience ? audienceOption(options.audience).audiences[0] : undefined;
        const fiche = await kb.getFiche(id, audience);
        printResult(ctx, fiche, ficheMarkdown);
      });
    });

  const evaluation = program.command('eval').description('mesurer la qualité de la recherche');
  evaluation
    .command('retrieval')
    .description('rappel@1, rappel@5 et MRR sur un jeu de questions ([{id, question, gold}] ou fichier PIAF)')
    .requiredOption('--questions <fichier>', 'jeu de questions JSON')
    .option('--k <nombre>', 'nombre de fiches examinées par question', '5')
    .option('--audience <public>', 'restreindre la recherche à ce public')
    .action(async (options: { questions: string; k: string; audience?: string }, command: Command) => {
      const ctx = await contextOf(command);
      const k = positiveInt(options.k, '--k');
      const questions = parseEvalSet(JSON.parse(await readFile(options.questions, 'utf8')) as unknown, options.questions);
      await withKnowledgeBase(ctx, async (kb) => {
        const progress = progressReporter(ctx, 'Évaluation');
        const report = await evaluateRetrieval(
          questions,
          async (question) => (await kb.search({ query: question, k: Math.max(k, 5), ...audienceOption(options.audience) })).hits.map((h) => h.ficheId),
          k,
          (done, total) => progress.update(done, total),
        );
        progress.stop();
        printResult(ctx, report, formatEvalReport);
      }, { embedder: true });
    });
}

/**
 * Opens the knowledge base of the data dir for one command, and closes it. With `embedder`, the embedding model
 * of the `embedder.path` setting is opened too (hybrid search, vectors of imported fiches).
 */
export async function withKnowledgeBase<T>(
  ctx: CliContext,
  work: (kb: KnowledgeBase) => Promise<T>,
  options: { embedder?: boolean; embedderPath?: string } = {},
): Promise<T> {
  const path = options.embedderPath ?? (options.embedder ? ctx.settings.values['embedder.path'] : null);
  const threads = ctx.settings.values['runtime.threads'] ?? undefined;
  const encoder = path ? await openPassageEncoder(path, threads === undefined ? {} : { threads }) : undefined;
  const kb = KnowledgeBase.create(ctx.dataDir, encoder);
  try {
    return await work(kb);
  } finally {
    kb.close();
    await encoder?.dispose();
  }
}

export function audienceOption(value: string | undefined): { audiences: Audience[] } | Record<string, never> {
  if (!value) return {};
  const audiences = value.split(',').map((part) => part.trim().toLowerCase());
  const unknown = audiences.filter((a) => !(AUDIENCES as readonly string[]).includes(a));
  if (unknown.length > 0) throw new CliUsageError(`Public inconnu : ${unknown.join(', ')} (attendu : ${AUDIENCES.join(', ')}).`);
  return { audiences: audiences as Audience[] };
}

function sourceOption(value: string): 'dila' | 'travail-emploi' {
  if (value === 'dila' || value === 'travail-emploi') return value;
  throw new CliUsageError(`Source inconnue : ${value} (attendu : dila ou travail-emploi).`);
}

export function positiveInt(value: string, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CliUsageError(`${option} attend un entier positif (reçu : ${value}).`);
  return number;
}

function formatEvalReport(report: RetrievalEvalReport): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
  const misses = report.perQuestion.filter((q) => q.rank === null || q.rank > 1).slice(0, 30);
  return [
    `${report.questions} questions, k = ${report.k}`,
    `rappel@1 : ${percent(report.recallAt1)}   rappel@5 : ${percent(report.recallAt5)}   MRR : ${report.mrr.toFixed(3)}`,
    `latence de recherche : p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms`,
    ...(misses.length ? ['', 'Questions où la bonne fiche n\'est pas première :'] : []),
    ...misses.map((q) => `  [${q.rank ?? '—'}] ${q.question} → attendu ${q.gold.join(', ')}, obtenu ${q.topIds.slice(0, 3).join(', ')}`),
  ].join('\n');
}
