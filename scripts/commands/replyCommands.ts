import type { Command } from 'commander';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ReplyDraft } from '../../assistant/replies/replyService.js';
import { frenchNumber } from '../../assistant/contract/frenchNumbers.js';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult } from '../cliOutput.js';
import { cliRun } from '../cliRun.js';
import { withEngine } from '../engineSession.js';
import { addRuntimeFlags, withRuntimeFlags, writtenOnLine } from '../runtimeFlags.js';

const TONES = ['neutre', 'chaleureux', 'formel'] as const;

/** `guichet reply` (Services Publics+ drafts) and `guichet replies` (the library of validated replies). */
export function registerReplyCommands(program: Command): void {
  const reply = program
    .command('reply')
    .description("rédiger une réponse Services Publics+ au témoignage d'un usager")
    .requiredOption('--file <témoignage.txt>', 'fichier texte du témoignage')
    .option('--institution <nom>', 'institution qui répond, par exemple « CAF de la Gironde »')
    .option('--tone <ton>', `ton : ${TONES.join(', ')}`, 'neutre')
    .option('--model <fichier.gguf>', 'modèle de langue à utiliser (par défaut : le réglage runtime.modelPath)')
    .option('--no-model', 'ne pas rédiger : proposer les réponses validées les plus proches');
  addRuntimeFlags(reply).action(async (options: { file: string; institution?: string; tone: string; model?: string | false; remote?: string; remoteModel?: string }, command: Command) => {
      const ctx = withRuntimeFlags(await contextOf(command), options);
      if (!(TONES as readonly string[]).includes(options.tone)) throw new CliUsageError(`Ton inconnu : ${options.tone} (attendu : ${TONES.join(', ')}).`);
      const testimony = await readFile(options.file, 'utf8').catch((cause: unknown) => {
        throw new CliUsageError(`Impossible de lire le témoignage ${options.file}.`, { cause });
      });
      const params = {
        testimony,
        tone: options.tone as (typeof TONES)[number],
        useModel: options.model !== false,
        ...(options.institution ? { institution: options.institution } : {}),
        ...(typeof options.model === 'string' ? { modelPath: resolve(options.model) } : {}),
      };
      const draft = await withEngine(ctx, async (api) => {
        const drafting = api.reply.draft(params, { signal: cliRun.signal });
        for await (const event of drafting) if (!ctx.json && event.type === 'status') process.stderr.write(`… ${event.message}\n`);
        return drafting.result;
      });
      printResult(ctx, draft, formatDraft);
    });

  const replies = program.command('replies').description('bibliothèque locale des réponses validées (Services Publics+)');
  replies
    .command('list')
    .description('lister les réponses validées')
    .option('--institution <nom>', 'seulement cette institution')
    .action(async (options: { institution?: string }, command: Command) => {
      const ctx = await contextOf(command);
      const entries = await withEngine(ctx, (api) => api.replies.list(options.institution ? { institution: options.institution } : undefined));
      printResult(ctx, entries, (list) => (list.length ? list.map((e) => `${e.id}  ${e.institution}  ${e.reply.slice(0, 80).replace(/\s+/g, ' ')}…`).join('\n') : 'Bibliothèque vide.'));
    });
  replies
    .command('add')
    .description('ajouter une réponse validée (par exemple un brouillon accepté)')
    .requiredOption('--institution <nom>', 'institution')
    .requiredOption('--testimony <fichier>', 'fichier du témoignage')
    .requiredOption('--reply <fichier>', 'fichier de la réponse validée')
    .action(async (options: { institution: string; testimony: string; reply: string }, command: Command) => {
      const ctx = await contextOf(command);
      const [testimony, reply] = await Promise.all([readFile(options.testimony, 'utf8'), readFile(options.reply, 'utf8')]);
      const entry = await withEngine(ctx, (api) => api.replies.add({ institution: options.institution, testimony, reply }));
      printResult(ctx, entry, (e) => `Réponse ${e.id} ajoutée à la bibliothèque.`);
    });
  replies
    .command('delete <id>')
    .description('supprimer une réponse de la bibliothèque')
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      await withEngine(ctx, (api) => api.replies.delete({ id }));
      printResult(ctx, { deleted: id }, () => `Réponse ${id} supprimée.`);
    });
  replies
    .command('export <fichier>')
    .description('exporter la bibliothèque en JSON (partage entre postes)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const json = await withEngine(ctx, (api) => api.replies.export());
      await writeFile(file, json);
      printResult(ctx, { file }, () => `Bibliothèque exportée dans ${file}.`);
    });
  replies
    .command('import <fichier>')
    .description('importer une bibliothèque JSON')
    .option('--replace', 'remplacer la bibliothèque au lieu de fusionner')
    .action(async (file: string, options: { replace?: boolean }, command: Command) => {
      const ctx = await contextOf(command);
      const json = await readFile(file, 'utf8');
      const report = await withEngine(ctx, (api) => api.replies.import({ json, mode: options.replace ? 'replace' : 'merge' }));
      printResult(ctx, report, (r) => `Import : ${frenchNumber(r.added, 0)} ajoutées, ${frenchNumber(r.updated, 0)} mises à jour, ${frenchNumber(r.removed, 0)} retirées ; ${frenchNumber(r.total, 0)} au total.`);
    });
}

function formatDraft(draft: ReplyDraft): string {
  const lines = [draft.reply || '(pas de brouillon)'];
  if (draft.citations.length) lines.push('', 'Fiches citées :', ...draft.citations.map((c) => `  [${c.n}] ${c.title} — ${c.url}`));
  if (draft.suggestions.length) lines.push('', 'Réponses validées proches :', ...draft.suggestions.map((s) => `  (${s.institution}) ${s.reply.slice(0, 200).replace(/\s+/g, ' ')}…`));
  lines.push(...draft.notes.map((note) => `Note : ${note}`), ...writtenOnLine(draft.writtenOn));
  return lines.join('\n');
}
