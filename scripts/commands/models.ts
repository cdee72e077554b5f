import { type Command, Option } from 'commander';
import { resolve } from 'node:path';
import { loadOptionsFromSettings } from '../../assistant/settings/modelLoadOptions.js';
import type { ModelListing } from '../../assistant/models/modelLibrary.js';
import { frenchBytes, frenchFixed, frenchNumber } from '../../assistant/contract/frenchNumbers.js';
import { hasReadableText, NO_READABLE_TEXT } from '../../assistant/text/inertText.js';
import type { ComputeDevice, DeviceChoice } from '../../assistant/api.js';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult, withProgress } from '../cliOutput.js';
import { checkedParams } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { type GuichetApi, withEngine } from '../engineSession.js';
import { addRuntimeFlags, withRuntimeFlags } from '../runtimeFlags.js';
import type { RemoteModels } from '../../assistant/contract/methods/remoteMethods.js';

/** `guichet models list|add|pull|remove|info|test`: the local language models. */
export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('gérer les modèles de langage locaux (fichiers GGUF)');

  models
    .command('list')
    .alias('ls')
    .description('catalogue et modèles installés, avec ce qui tient dans la mémoire de ce PC')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const { listing, remote } = await withEngine(ctx, async (api) => ({ listing: await api.models.list(), remote: await serverModels(api, Boolean(ctx.settings.values['runtime.remote.url'])) }));
      printResult(ctx, remote ? { ...listing, remote } : listing, () => [formatList(listing), ...formatRemote(remote)].join('\n'));
    });

  models
    .command('add <fichier>')
    .description('enregistrer un fichier GGUF déjà présent sur ce PC (il reste où il est)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const result = await withEngine(ctx, (api) => api.models.add({ path: resolve(file) }));
      printResult(ctx, result, ({ model, fit }) =>
        [
          `Modèle ajouté : ${model.id} (${model.path})`,
          `  architecture : ${model.architecture}, quantification : ${model.quantization}, contexte d'entraînement : ${model.trainContext} jetons`,
          `  modèle de conversation (chat template) : ${model.hasChatTemplate ? 'présent' : 'absent : un format déduit ou générique sera utilisé (voir « guichet models test »)'}`,
          `  ${fit.message}`,
        ].join('\n'),
      );
    });

  models
    .command('pull <nom>')
    .description('télécharger un modèle du catalogue (ou une URL .gguf) ; reprend un téléchargement interrompu')
    .option('--miroir <url>', 'miroir interne remplaçant https://huggingface.co')
    .option('--sha256 <empreinte>', 'empreinte SHA-256 attendue')
    .action(async (name: string, options: { miroir?: string; sha256?: string }, command: Command) => {
      const ctx = await contextOf(command);
      const params = await checkedParams('models.pull', { name, ...(options.miroir ? { mirror: options.miroir } : {}), ...(options.sha256 ? { sha256: options.sha256 } : {}) }, { mirror: '--miroir', sha256: '--sha256' });
      const result = await withEngine(ctx, (api) => withProgress(ctx, 'Téléchargement', api.models.pull(params, { signal: cliRun.signal })));
      printResult(ctx, result, ({ model, download }) =>
        [`Modèle installé : ${model.id} (${model.path})`, `  ${frenchBytes(download.bytes)}${download.resumed ? ', téléchargement repris' : ''}, SHA-256 ${download.sha256}`].join('\n'),
      );
    });

  models
    .command('remove <nom>')
    .alias('rm')
    .description('retirer un modèle (un fichier téléchargé est supprimé, un fichier ajouté reste en place)')
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const result = await withEngine(ctx, (api) => api.models.remove({ name }));
      printResult(ctx, result, ({ model, deletedFile }) => `Modèle retiré : ${model.id}${deletedFile ? ' (fichier supprimé)' : ` (fichier conservé : ${model.path})`}`);
    });

  models
    .command('info <nom>')
    .description("métadonnées GGUF d'un modèle installé ou d'un fichier")
    .action(async (name: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const info = await withEngine(ctx, (api) => api.models.info({ name: modelName(name) }));
      printResult(ctx, info, ({ summary, installed, catalog, fit, device }) =>
        [
          `${summary.fileName}${installed ? ` (installé : ${installed.id}, ${sourceLabel(installed.source)})` : ''}`,
          `  nom : ${summary.name ?? '—'}${catalog ? ` — catalogue : ${catalog.label}, licence ${catalog.licence}` : ''}`,
          `  architecture : ${summary.architecture}, quantification : ${summary.quantization}, ${frenchBytes(summary.sizeBytes)}`,
          `  type : ${summary.kind === 'chat' ? 'conversation' : 'embeddings (recherche sémantique)'}, contexte d'entraînement : ${summary.shape.trainContext} jetons, ${summary.shape.layers} couches`,
          `  modèle de conversation (chat template) : ${summary.hasChatTemplate ? 'présent' : 'absent'} ${summary.chatFormatGuess ? ` ; format probable : ${summary.chatFormatGuess}` : ''}`,
          `  ${fit.message}`,
          `  ${deviceLine(device)}`,
        ].join('\n'),
      );
    });

  const test = models
    .command('test [nom]')
    .description('charger le modèle dans le moteur (ou joindre le serveur partagé, --remote) et rédiger une phrase : périphérique, threads, vitesse')
    .option('--question <texte>', 'question posée', 'Présente-toi en une phrase.')
    .addOption(new Option('--gpu <périphérique>', 'périphérique essayé (sinon le réglage runtime.gpu)').choices(['auto', 'cpu', 'vulkan', 'cuda', 'metal']))
    .option('--remesurer', 'oublier le périphérique mémorisé pour ce modèle et comparer à nouveau processeur et GPU');
  addRuntimeFlags(test).action(async (name: string | undefined, options: TestOptions, command: Command) => {
      const base = await contextOf(command);
      // A name tests that model on this PC; no name, the shared server (--remote or runtime.remote.url).
      const onServer = options.remote !== undefined || (name === undefined && Boolean(base.settings.values['runtime.remote.url']));
      if (!onServer && name === undefined) throw new CliUsageError('Indiquez le modèle à tester (guichet models test <nom>), ou un serveur partagé avec --remote <url>.');
      const ctx = withRuntimeFlags(base, onServer ? options : { model: name ?? '' });
      const { loaded, text, stats } = await withEngine(ctx, async (api) => {
        // On the shared server the engine loads `runtime.remote.model` (or the server's first): the path only names it.
        let path = ctx.settings.values['runtime.remote.model'] ?? 'serveur';
        if (!onServer) {
          const { summary } = await api.models.info({ name: modelName(name ?? '') });
          if (options.remesurer) await api.models.forgetDevice({ name: summary.path });
          path = summary.path;
        }
        const loading = api.models.load({ ...loadOptionsFromSettings(ctx.settings.values, path), ...(options.gpu ? { gpu: options.gpu } : {}) }, { signal: cliRun.signal });
        for await (const event of loading) {
          if (event.type === 'measuring' && !ctx.json) process.stderr.write(`Mesure de la vitesse sur ${event.device === 'cpu' ? 'le processeur' : `le GPU (${event.device})`}…\n`);
        }
        const model = await loading.result;
        const writing = api.generate({ messages: [{ role: 'user', text: options.question }], maxTokens: 64 }, { signal: cliRun.signal });
        for await (const _event of writing) {
          // The answer is read whole below.
        }
        const generated = await writing.result;
        return { loaded: model, text: generated.text, stats: generated.stats };
      });
      const readable = hasReadableText(text);
      if (!readable) cliRun.fail(1);
      printResult(ctx, { loaded, text, readable, stats }, () =>
        [
          `Modèle : ${loaded.fileName}${loaded.quantization ? ` (${loaded.quantization})` : ''}${loaded.remote ? ` sur le serveur ${loaded.remote.host}` : ''}, contexte ${loaded.contextSize.toLocaleString('fr-FR')} jetons, chargé en ${Math.round(loaded.loadMs).toLocaleString('fr-FR')} ms`,
          `Périphérique : ${loaded.device.reason}`,
          ...(loaded.device.device === 'cpu' || loaded.remote ? [] : [`Couches sur le GPU : ${loaded.device.gpuLayers} sur ${loaded.device.totalLayers}`]),
          ...(loaded.remote ? [] : [`Threads : ${loaded.threads.explanation}`]),
          ...loaded.warnings.map((warning) => `Attention : ${warning}`),
          readable ? `Réponse : ${text.trim()}` : `Attention : ${NO_READABLE_TEXT} Ce modèle ne convient pas à Guichet.`,
          `Vitesse : ${stats.tokensPerSecond.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} jetons/s, premier jeton en ${Math.round(stats.timeToFirstTokenMs ?? 0).toLocaleString('fr-FR')} ms`,
        ].join('\n'),
      );
    });
}

interface TestOptions {
  question: string;
  gpu?: ComputeDevice | 'auto';
  remesurer?: boolean;
  remote?: string;
  remoteModel?: string;
}

/** The shared server's models when one is configured; its failure is shown, the local listing still printed. */
async function serverModels(api: GuichetApi, configured: boolean): Promise<RemoteModels | { configured: true; error: string } | undefined> {
  if (!configured) return undefined;
  try {
    return await api.remote.models();
  } catch (error) {
    return { configured: true, error: error instanceof Error ? error.message : String(error) };
  }
}

function formatRemote(remote: Awaited<ReturnType<typeof serverModels>>): string[] {
  if (!remote) return [];
  if ('error' in remote) return ['', `Serveur partagé : ${remote.error}`];
  const lines = ['', `Serveur partagé ${remote.host} (${remote.url}) :`];
  for (const model of remote.models) lines.push(`  ${model.id}${model.contextLength ? ` — contexte ${model.contextLength.toLocaleString('fr-FR')} jetons` : ''}`);
  if (remote.models.length === 0) lines.push('  (aucun modèle proposé)');
  return lines;
}

/** A catalog id, an installed model's id, or a file (made absolute: the engine does not run in this folder). */
function modelName(name: string): string {
  return /[\\/]|\.gguf$/i.test(name) ? resolve(name) : name;
}

function formatList(listing: ModelListing): string {
  const lines = [`Mémoire libre : ${frenchBytes(listing.freeRamBytes)} sur ${frenchBytes(listing.totalRamBytes)}`, '', 'Catalogue :'];
  for (const model of listing.catalog) {
    lines.push(
      `  ${model.id.padEnd(14)} ${model.label.padEnd(34)} ${frenchBytes(model.sizeBytes).padStart(8)}  RAM 4k : ${frenchBytes(model.ramAt4kBytes)}, 8k : ${frenchBytes(model.ramAt8kBytes)}  ${verdictMark(model.fit.verdict)}${model.installed ? '  [installé]' : ''}`,
      `  ${''.padEnd(14)} licence ${model.licence} — hf:${model.huggingFace.repo}/${model.huggingFace.file}`,
    );
  }
  lines.push('', listing.installed.length > 0 ? 'Installés :' : 'Aucun modèle installé : « guichet models pull <nom> » ou « guichet models add <fichier.gguf> ».');
  for (const model of listing.installed) {
    lines.push(
      `  ${model.id.padEnd(14)} ${model.fileName} — ${model.architecture} ${model.quantization}, ${frenchBytes(model.sizeBytes)}, ${sourceLabel(model.source)}${model.missing ? ' — FICHIER ABSENT' : ''}`,
      `  ${''.padEnd(14)} ${model.fit.message} Modèle de conversation : ${model.hasChatTemplate ? 'présent' : 'absent'}.`,
    );
  }
  for (const problem of listing.problems) lines.push(`Problème : ${problem.message}`);
  return lines.join('\n');
}

function deviceLine(choice: DeviceChoice | null): string {
  if (!choice) return 'périphérique : pas encore mesuré (au premier chargement, processeur et GPU sont comparés)';
  const figures = choice.measurements
    .map((m) => `${m.device} — ${m.tokensPerSecond === null ? (m.crashed ? 'a arrêté le moteur' : 'en échec') : speedText(m.tokensPerSecond, m.promptTokensPerSecond)}`)
    .join(' ; ');
  return `périphérique mémorisé : ${choice.device}, mesuré le ${new Date(choice.measuredAt).toLocaleDateString('fr-FR')}${figures ? ` (${figures})` : ''}. Pour mesurer à nouveau : guichet models test <modèle> --remesurer`;
}

function speedText(writing: number, reading: number | undefined): string {
  return `rédaction ${frenchFixed(writing, 1)} jetons/s${reading ? `, lecture ${frenchNumber(reading, 0)} jetons/s` : ''}`;
}

function verdictMark(verdict: 'ok' | 'limited' | 'too-large'): string {
  return verdict === 'ok' ? 'tient en mémoire' : verdict === 'limited' ? 'contexte réduit' : 'trop gros pour ce PC';
}

function sourceLabel(source: 'added' | 'pulled' | 'policy'): string {
  return source === 'added' ? 'ajouté' : source === 'pulled' ? 'téléchargé' : 'fourni par le service informatique';
}

