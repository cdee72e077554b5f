import type { Command } from 'commander';
import { ficheMarkdown } from '../../assistant/knowledge/ficheMarkdown.js';
import { AUDIENCES, type Audience } from '../../assistant/knowledge/knowledgeTypes.js';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult } from '../cliOutput.js';
import { checkedParams, integerOption } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { withEngine } from '../engineSession.js';
import { formatHits } from './searchFormat.js';

/** `guichet search`, `guichet fiche`: the knowledge base, read-only, through the engine. */
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
      const params = await checkedParams(
        'search',
        { query: question, k: integerOption(options.k, '--k'), ...audienceOption(options.audience), ...(options.source ? { sources: [sourceOption(options.source)] } : {}) },
        { k: '--k', query: 'la question' },
      );
      const result = await withEngine(ctx, (api) => api.search(params, { signal: cliRun.signal }));
      const hits = result.hits.map(({ ficheId, title, audience, url, date, score, passages }) => ({
        ficheId, title, audience, url, date, score, passages: passages.map(({ text, sectionPath }) => ({ text, sectionPath })),
      }));
      printResult(ctx, hits, () => formatHits(result));
    });

  program
    .command('fiche')
    .description("afficher une fiche entière depuis l'index (lecture hors ligne)")
    .argument('<id>', 'identifiant de la fiche, par exemple F1342')
    .option('--audience <public>', 'version de la fiche pour ce public, quand elle existe pour plusieurs')
    .option('--markdown', 'sortie Markdown (par défaut)')
    .action(async (id: string, options: { audience?: string; markdown?: boolean }, command: Command) => {
      const ctx = await contextOf(command);
      const audience = options.audience ? audienceOption(options.audience).audiences[0] : undefined;
      const params = await checkedParams('fiche.get', { id, ...(audience ? { audience } : {}) }, { id: "l'identifiant" });
      const fiche = await withEngine(ctx, (api) => api.fiche.get(params));
      printResult(ctx, fiche, ficheMarkdown);
    });
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
