import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { formatStatsFr } from '../../assistant/feedback/feedbackStats.js';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult } from '../cliOutput.js';
import { withEngine } from '../engineSession.js';

const VERDICTS = ['used-as-is', 'edited', 'discarded'] as const;

/** `guichet conversations …` and `guichet feedback …`: the agent's history and figures, on this PC only. */
export function registerHistoryCommands(program: Command): void {
  const conversations = program.command('conversations').description('historique des questions (données personnelles masquées)');
  conversations
    .command('list')
    .description('lister les conversations, les plus récentes d’abord')
    .option('--limit <nombre>', 'nombre de conversations', '20')
    .action(async (options: { limit: string }, command: Command) => {
      const ctx = await contextOf(command);
      const page = await withEngine(ctx, (api) => api.conversations.list({ limit: Number(options.limit) || 20 }));
      printResult(ctx, page, (p) => (p.conversations.length ? p.conversations.map((c) => `${c.id}  ${c.messageCount} messages  ${c.title}`).join('\n') : 'Aucune conversation.'));
    });
  conversations
    .command('export <id>')
    .description('exporter une conversation (Markdown par défaut)')
    .option('--format <format>', 'markdown ou json', 'markdown')
    .option('--output <fichier>', 'écrire dans ce fichier au lieu de la sortie standard')
    .action(async (id: string, options: { format: string; output?: string }, command: Command) => {
      const ctx = await contextOf(command);
      if (options.format !== 'markdown' && options.format !== 'json') throw new CliUsageError(`Format inconnu : ${options.format} (markdown ou json).`);
      const text = await withEngine(ctx, (api) => api.conversations.export({ id, format: options.format as 'markdown' | 'json' }));
      if (options.output) await writeFile(options.output, text);
      else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
  conversations
    .command('delete <id>')
    .description('supprimer définitivement une conversation')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      await withEngine(ctx, (api) => api.conversations.delete({ id }));
      printResult(ctx, { deleted: id }, () => `Conversation ${id} supprimée.`);
    });

  const feedback = program.command('feedback').description('retour sur les brouillons et statistiques locales');
  feedback
    .command('record')
    .description('noter un brouillon : utilisé tel quel, modifié ou écarté')
    .requiredOption('--conversation <id>', 'conversation')
    .requiredOption('--message <id>', 'brouillon (messageId de guichet ask --json)')
    .requiredOption('--verdict <verdict>', VERDICTS.join(', '))
    .option('--seconds <nombre>', 'secondes entre la question et la copie du brouillon')
    .action(async (options: { conversation: string; message: string; verdict: string; seconds?: string }, command: Command) => {
      const ctx = await contextOf(command);
      if (!(VERDICTS as readonly string[]).includes(options.verdict)) throw new CliUsageError(`Verdict inconnu : ${options.verdict} (${VERDICTS.join(', ')}).`);
      const entry = await withEngine(ctx, (api) =>
        api.feedback.record({
          conversationId: options.conversation,
          messageId: options.message,
          verdict: options.verdict as (typeof VERDICTS)[number],
          ...(options.seconds ? { secondsToCopy: Number(options.seconds) } : {}),
        }),
      );
      printResult(ctx, entry, () => 'Retour enregistré.');
    });
  feedback
    .command('stats')
    .description('part des brouillons utilisés tels quels, temps médian jusqu’à la copie')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const stats = await withEngine(ctx, (api) => api.feedback.stats());
      printResult(ctx, stats, formatStatsFr);
    });
}
