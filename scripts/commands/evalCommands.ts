import { type Command, Option } from 'commander';
import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EvalResults } from '../../assistant/eval/evalResults.js';
import type { RetrievalEvalReport } from '../../assistant/knowledge/retrievalEval.js';
import { weakFlagText } from '../eval/weakFlagText.js';
import { frenchNumber, frenchPercent } from '../../assistant/contract/frenchNumbers.js';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult, withProgress } from '../cliOutput.js';
import { checkedParams, integerOption } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { withEngine } from '../engineSession.js';
import { addRuntimeFlags } from '../runtimeFlags.js';
import { audienceOption } from './knowledgeCommands.js';

interface EvalOptions {
  questions?: string;
  model: string[];
  device: 'cpu' | 'auto';
  out: string;
  resume?: boolean;
  k: string;
  maxTokens: string;
  seed: string;
  watts: string;
  poste?: string;
  remote?: string;
  remoteModel?: string;
}

/** `guichet eval`: the evaluation protocol (quality, speed, memory, energy), its retrieval part, and comparisons. */
export function registerEvalCommands(program: Command): void {
  const evaluation = addRuntimeFlags(program
    .command('eval')
    .description('évaluer des modèles sur ce poste : qualité des réponses, vitesse, mémoire, énergie (rapport HTML)')
    .option('--questions <fichier>', 'jeu de questions JSON (voir docs/eval/README.md)')
    .option('--model <fichier.gguf>', 'modèle à évaluer (répéter pour en comparer plusieurs)', collect, [])
    .addOption(new Option('--device <périphérique>', 'cpu, ou auto (GPU quand il est plus rapide)').choices(['cpu', 'auto']).default('auto'))
    .option('--out <dossier>', 'dossier des résultats (results.json, rapport.html, journal de reprise)', 'guichet-eval')
    .option('--resume', "reprendre l'évaluation interrompue dans ce dossier")
    .option('--k <nombre>', 'fiches cherchées par question (1 à 10)', '5')
    .option('--max-tokens <nombre>', 'longueur maximale de chaque brouillon, en jetons', '400')
    .option('--seed <nombre>', "graine d'échantillonnage (réponses reproductibles)", '42')
    .option('--watts <puissance>', 'puissance du processeur en charge, en watts, pour estimer l’énergie sans compteur RAPL', '15')
    .option('--poste <nom>', 'nom de ce poste dans le rapport (défaut : nom de la machine)'))
    .action(async (options: EvalOptions, command: Command) => {
      const ctx = await contextOf(command);
      if (!options.questions) throw new CliUsageError('--questions est requis (un jeu de questions JSON).');
      if (options.model.length === 0 && !options.remote) throw new CliUsageError('--model est requis (au moins un modèle GGUF), ou --remote <url> pour un serveur partagé.');
      if (options.remoteModel !== undefined && !options.remote) throw new CliUsageError('--remote-model demande --remote <url> : le serveur partagé à évaluer.');
      const watts = Number(options.watts.replace(',', '.'));
      if (!(watts > 0 && watts < 2000)) throw new CliUsageError(`--watts attend une puissance en watts (reçu : ${options.watts}).`);
      const { runEval } = await import('../eval/evalRun.js');
      const { writeEvalOutput } = await import('../eval/evalOutput.js');
      const out = resolve(options.out);
      const outcome = await runEval(ctx, {
        questionsFile: options.questions,
        models: options.model.map((path) => resolve(path)),
        device: options.device,
        out,
        resume: options.resume === true,
        k: integerOption(options.k, '--k'),
        maxTokens: integerOption(options.maxTokens, '--max-tokens'),
        seed: integerOption(options.seed, '--seed'),
        processorWatts: watts,
        label: options.poste ?? hostname(),
        ...(options.remote ? { remote: { url: options.remote, ...(options.remoteModel ? { model: options.remoteModel } : {}) } } : {}),
      });
      if (!outcome.complete) {
        const kept = outcome.answered > 1 ? `${outcome.answered} réponses sur ${outcome.total} sont gardées` : `${outcome.answered} réponse sur ${outcome.total} est gardée`;
        process.stderr.write(`Évaluation interrompue : ${kept} dans ${out}. Pour continuer : la même commande avec --resume.\n`);
        return;
      }
      const files = await writeEvalOutput(out, [{ source: out, results: outcome.results }], outcome.results);
      // A model that could not be evaluated is a failure of the command, though the others' results are written.
      if (outcome.results.failedModels.length > 0) cliRun.fail(1);
      printResult(ctx, { files, results: outcome.results }, () => formatResults(outcome.results, files));
    });

  // Commander reads a parent's options anywhere on the line: the subcommands take `--questions`, `--k` and `--out`
  // from `eval` itself (optsWithGlobals), and declare only their own.
  evaluation
    .command('retrieval')
    .description('rappel@1, rappel@5 et MRR de la recherche seule, par type de question (options --questions et --k)')
    .option('--audience <public>', 'restreindre la recherche à ce public')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const options = command.optsWithGlobals<{ questions?: string; k: string; audience?: string }>();
      if (!options.questions) throw new CliUsageError('--questions est requis (un jeu de questions JSON).');
      const file = options.questions;
      const json = await readFile(file, 'utf8').catch((cause: unknown) => {
        throw new CliUsageError(`Impossible de lire le jeu de questions ${file}.`, { cause });
      });
      const params = await checkedParams('eval.retrieval', { json, origin: resolve(file), k: integerOption(options.k, '--k'), ...audienceOption(options.audience) }, { k: '--k' });
      const report = await withEngine(ctx, (api) => withProgress(ctx, 'Évaluation', api.eval.retrieval(params, { signal: cliRun.signal })));
      printResult(ctx, report, formatRetrieval);
    });

  evaluation
    .command('compare')
    .description('réunir les résultats de plusieurs évaluations (plusieurs postes) dans un seul rapport')
    .argument('<dossiers...>', 'dossiers de résultats (contenant results.json) ; --out : dossier du rapport réuni (défaut guichet-eval-comparaison)')
    .action(async (dirs: string[], _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const out = evaluation.getOptionValueSource('out') === 'default' ? 'guichet-eval-comparaison' : evaluation.opts<{ out: string }>().out;
      const { readRuns, writeEvalOutput } = await import('../eval/evalOutput.js');
      const runs = await readRuns(dirs.map((dir) => resolve(dir)));
      const files = await writeEvalOutput(resolve(out), runs);
      printResult(ctx, { files, runs: runs.map((r) => r.source) }, () => `Rapport réuni de ${runs.length} évaluations : ${files.report}`);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function formatResults(results: EvalResults, files: { results: string; report: string }): string {
  const r = results.retrieval;
  const lines = [
    `Recherche (${r.questions} questions) : rappel@1 ${frenchPercent(r.recallAt1)}, rappel@5 ${frenchPercent(r.recallAt5)}, MRR ${frenchNumber(r.mrr, 3)}`,
  ];
  for (const model of results.models) {
    const s = model.summary;
    lines.push(
      '',
      `${model.fileName} (${model.device.device}, chargé en ${frenchNumber(model.loadMs / 1000, 1)} s)`,
      `  citations valides ${frenchPercent(s.citationValidity)}, fiche attendue citée ${frenchPercent(s.citesGold)}, sans citation ${frenchPercent(s.noCitation)}, hors sujet reconnu ${frenchPercent(s.outOfScopeDeclined)}, faits retrouvés ${frenchPercent(s.factsFound)}`,
      `  premier mot ${s.ttftMs ? `${frenchNumber(s.ttftMs.p50 / 1000, 1)} s` : '—'} (médiane), rédaction ${frenchNumber(s.writingTokensPerSecond.p50, 1)} jetons/s, mémoire ${frenchNumber(s.peakRssBytes / 2 ** 20, 0)} Mio, énergie ${frenchNumber(s.energyJoules.p50, 1)} J par réponse${s.energyJoules.source === 'estimation' ? ' (estimation)' : ''}`,
    );
  }
  for (const failure of results.failedModels) lines.push('', `${failure.fileName} : non évalué. ${failure.message}`);
  lines.push('', `Résultats : ${files.results}`, `Rapport : ${files.report}`);
  return lines.join('\n');
}

function formatRetrieval(report: RetrievalEvalReport): string {
  const percent = (value: number) => frenchPercent(value);
  const misses = report.perQuestion.filter((q) => q.rank === null || q.rank > 1).slice(0, 30);
  const kinds = Object.entries(report.byKind);
  return [
    `${report.questions} questions, k = ${report.k}${report.skipped ? ` (${report.skipped} hors sujet non comptées)` : ''}`,
    `rappel@1 : ${percent(report.recallAt1)}   rappel@5 : ${percent(report.recallAt5)}   MRR : ${frenchNumber(report.mrr, 3)}`,
    ...kinds.map(([kind, s]) => `  ${kind.padEnd(14)} ${String(s.questions).padStart(4)} q.  rappel@1 ${percent(s.recallAt1)}  rappel@5 ${percent(s.recallAt5)}  MRR ${frenchNumber(s.mrr, 3)}`),
    `latence de recherche : p50 ${frenchNumber(report.latencyMs.p50, 0)} ms, p95 ${frenchNumber(report.latencyMs.p95, 0)} ms`,
    ...(report.weakFlag ? [weakFlagText(report.weakFlag)] : []),
    ...(misses.length ? ['', "Questions où la bonne fiche n'est pas première :"] : []),
    ...misses.map((q) => `  [${q.rank ?? '—'}] ${q.question} → attendu ${q.gold.join(', ')}, obtenu ${q.topIds.slice(0, 3).join(', ')}`),
  ].join('\n');
}
