import { readAfterSubmitText, readingLabel } from '../../assistant/contract/readingText.js';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { AskAnswer, AskEvent } from '../../assistant/ask/askTypes.js';
import { frenchDate } from '../../assistant/knowledge/ficheMarkdown.js';
import { contextOf } from '../cliContext.js';
import { printResult } from '../cliOutput.js';
import { checkedParams, integerOption } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { withEngine } from '../engineSession.js';
import { addRuntimeFlags, withRuntimeFlags, writtenOnLine } from '../runtimeFlags.js';
import { audienceOption } from './knowledgeCommands.js';

/** `guichet ask`: a drafted answer with its sources, related questions and practical links. */
export function registerAskCommands(program: Command): void {
  const ask = program
    .command('ask')
    .description('poser une question : brouillon de réponse, sources, questions liées, liens utiles')
    .argument('<question>', "la question de l'usager")
    .option('--model <fichier.gguf>', 'modèle de langue à utiliser (par défaut : le réglage runtime.modelPath)')
    .option('--no-model', 'recherche seule, sans rédiger de brouillon')
    .option('--conversation <id>', 'poursuivre cette conversation (questions de suivi)')
    .option('--k <nombre>', 'nombre de fiches cherchées (1 à 10)', '5')
    .option('--audience <public>', 'particuliers, professionnels ou associations')
    .option('--max-tokens <nombre>', 'longueur maximale du brouillon, en jetons');
  addRuntimeFlags(ask).action(async (question: string, options: AskOptions, command: Command) => {
      const ctx = withRuntimeFlags(await contextOf(command), options);
      const params = await checkedParams(
        'ask',
        {
          question,
          useModel: options.model !== false,
          ...(typeof options.model === 'string' ? { modelPath: resolve(options.model) } : {}),
          ...(options.conversation ? { conversationId: options.conversation } : {}),
          k: integerOption(options.k, '--k'),
          ...audienceOption(options.audience),
          ...(options.maxTokens ? { maxTokens: integerOption(options.maxTokens, '--max-tokens') } : {}),
        },
        { question: 'la question', k: '--k', maxTokens: '--max-tokens', conversationId: '--conversation', modelPath: '--model' },
      );
      const streaming = !ctx.json;
      const answer = await withEngine(ctx, async (api) => {
        const answering = api.ask(params, { signal: cliRun.signal });
        for await (const event of answering) if (streaming) showEvent(event);
        return answering.result;
      });
      // The model named could not be used: the sources are printed, the command did not do all it was asked.
      const asked = typeof options.model === 'string' || options.remote !== undefined;
      if (asked && answer.warnings.some((w) => w.code === 'model-unavailable' || w.code === 'engine-stopped' || w.code === 'generation-failed')) cliRun.fail(1);
      printResult(ctx, answer, (a) => formatAnswer(a, streaming));
    });
}

interface AskOptions {
  model?: string | false;
  remote?: string;
  remoteModel?: string;
  conversation?: string;
  k: string;
  audience?: string;
  maxTokens?: string;
}

/** Status on stderr, the draft on stdout as it is written. */
function showEvent(event: AskEvent): void {
  if (event.type === 'status') process.stderr.write(`… ${event.message}\n`);
  if (event.type === 'reading') showReading(event.fraction);
  if (event.type === 'token') process.stdout.write(event.text);
}

let lastReading = -1;

/** « … Lecture des extraits : 60 % » on stderr, a line per tenth read (steps are ~100 ms: a line each would flood). */
function showReading(fraction: number): void {
  const tenth = Math.floor(fraction * 10);
  if (tenth <= lastReading) return;
  lastReading = tenth;
  process.stderr.write(`… ${readingLabel(fraction)}\n`);
}

function formatAnswer(answer: AskAnswer, streamed: boolean): string {
  const lines: string[] = [];
  if (!streamed || answer.mode === 'search-only' || answer.warnings.some((w) => w.code === 'engine-stopped')) lines.push(answer.answer);
  lines.push('', ...answer.warnings.map((warning) => `Attention : ${warning.message}`), ...answer.notices.map((notice) => `Note : ${notice}`));
  if (answer.mode === 'model') {
    lines.push('', 'Sources citées :');
    answer.sources.forEach((s) => lines.push(`  ${s.passages.map((p) => `[${p.n}]`).join('')} ${s.title} — fiche du ${frenchDate(s.date)}`, `      ${s.url}`));
    if (answer.sources.length === 0) lines.push('  (aucune)');
    if (answer.consulted.length > 0) lines.push('Consultées :', ...answer.consulted.map((s) => `  ${s.title} — ${s.url}`));
  } else {
    lines.push('', 'Sources :', ...answer.sources.map((s) => `  ${s.title} — fiche du ${frenchDate(s.date)} — ${s.url}`));
  }
  if (answer.relatedQuestions.length > 0) lines.push('', 'Questions liées :', ...answer.relatedQuestions.map((q) => `  - ${q.question} (${q.ficheId})`));
  if (answer.links.length > 0) lines.push('', 'Liens utiles :', ...answer.links.map((l) => `  - ${l.typeLabel} : ${l.title}${l.institution ? ` (${l.institution})` : ''} — ${l.url}`));
  const { stats } = answer;
  const speed = stats.ttftMs !== null ? ` · premier mot ${Math.round(stats.ttftMs).toLocaleString('fr-FR')} ms · ${stats.tokensPerSecond.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} jetons/s` : '';
  lines.push('', ...writtenOnLine(answer.writtenOn));
  lines.push(`${answer.conversationId ? `Conversation ${answer.conversationId}` : 'Non enregistrée'} · recherche ${Math.round(stats.searchMs).toLocaleString('fr-FR')} ms${speed}`);
  const reading = readAfterSubmitText(stats);
  if (reading) lines.push(reading);
  return lines.join('\n');
}
