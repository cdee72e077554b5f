import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { FirstRunReport } from '../../assistant/knowledge/firstRun.js';
import type { CorpusPackReport } from '../../assistant/knowledge/corpusPack.js';
import { frenchDate } from '../../assistant/knowledge/ficheMarkdown.js';
import type { CorpusInfo } from '../../assistant/knowledge/knowledgeBase.js';
import type { ImportReport } from '../../assistant/knowledge/knowledgeTypes.js';
import { frenchBytes, frenchNumber } from '../../assistant/contract/frenchNumbers.js';
import { contextOf, type CliContext } from '../cliContext.js';
import { printResult, withProgress } from '../cliOutput.js';
import { checkedParams } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { withEngine } from '../engineSession.js';
import { audienceOption } from './knowledgeCommands.js';

/** `guichet corpus import|pack|embed|info`: the knowledge base's content, through the engine. */
export function registerCorpusCommands(program: Command): void {
  const corpus = program.command('corpus').description('gérer la base de connaissances (fiches)');
  corpus
    .command('import')
    .description("importer un flux de fiches ; l'index précédent reste utilisable jusqu'à la fin de l'import")
    .requiredOption('--from <source>', 'vosdroits-latest.zip, dossier de fichiers XML, URL du flux, ou « embarque » (fiches embarquées)')
    .option('--audience <public>', "n'importer que ce public : particuliers, professionnels ou associations")
    .action(async (options: { from: string; audience?: string }, command: Command) => {
      const ctx = await contextOf(command);
      const audience = audienceOption(options.audience).audiences?.[0];
      const from = /^(https?:|embarque$)/.test(options.from) ? options.from : resolve(options.from);
      const params = await checkedParams('corpus.import', { from, ...(audience ? { audience } : {}) }, { from: '--from' });
      const report = await withEngine(ctx, (api) => withProgress(ctx, 'Import', api.corpus.import(params, { signal: cliRun.signal })));
      printResult(ctx, report, (r) => formatImport(options.from, r));
    });

  corpus
    .command('pack')
    .description("construire, sur un poste connecté, un paquet de corpus à copier sur les postes (politique corpus.packPath)")
    .requiredOption('--sortie <dossier>', 'dossier du paquet, écrit en entier ou pas du tout')
    .option('--from <sources...>', 'flux DILA : adresse de base (un flux par public de corpus.audiences), URL d’un vosdroits-latest.zip, fichier .zip ou dossier de .zip ; par défaut : corpus.feedBaseUrl')
    .option('--remplacer', 'remplacer le paquet de corpus qui existe déjà dans ce dossier')
    .action(async (options: { sortie: string; from?: string[]; remplacer?: boolean }, command: Command) => {
      const ctx = await contextOf(command);
      const from = options.from?.map((source) => (/^(https?:|embarque$)/.test(source) ? source : resolve(source)));
      const params = await checkedParams('corpus.pack', { output: resolve(options.sortie), ...(from ? { from } : {}), ...(options.remplacer ? { replace: true } : {}) }, { output: '--sortie', from: '--from' });
      const report = await withEngine(ctx, (api) => withProgress(ctx, 'Paquet', api.corpus.pack(params, { signal: cliRun.signal })));
      printResult(ctx, report, formatPack);
    });

  corpus
    .command('embed')
    .description("calculer les vecteurs de tous les passages avec un modèle d'embedding : la recherche devient hybride")
    .requiredOption('--embedder <chemin>', "dossier ONNX (transformers.js) ou fichier GGUF du modèle d'embedding, ou remote:<modèle> sur le serveur partagé (runtime.remote.url)")
    .action(async (options: { embedder: string }, command: Command) => {
      const ctx = await contextOf(command);
      const report = await withEngine(ctx, (api) => withProgress(ctx, 'Vectorisation', api.corpus.embed({ embedder: options.embedder.startsWith('remote:') ? options.embedder : resolve(options.embedder) }, { signal: cliRun.signal })));
      printResult(ctx, report, (r) =>
        [
          `Vecteurs calculés pour ${count(r.manifest.counts.chunks)} passages avec ${r.manifest.embedder?.id} (${r.manifest.embedder?.dimension} dimensions).`,
          r.embedderSetting ? 'Recherche hybride activée.' : "Attention : le réglage embedder.path est fixé par la politique : la recherche n'utilisera ces vecteurs que si la politique désigne ce modèle.",
        ].join('\n'),
      );
    });

  corpus
    .command('info')
    .description('contenu de la base : sources, dates, nombres de fiches')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const info = await withEngine(ctx, (api) => api.corpus.info());
      printResult(ctx, info, (i) => (i ? formatInfo(i) : "Base vide : lancez « guichet » ou « guichet corpus import --from <fichier.zip> »."));
    });
}

/** `guichet` alone: prepares the knowledge base on the first run, then opens the agent's screen (see `guichet serve`). */
export async function runDefault(command: Command): Promise<void> {
  const { prepareAndServe } = await import('./serveCommands.js');
  await prepareAndServe(command);
}

export function formatStart(ctx: CliContext, firstRun: FirstRunReport, info: CorpusInfo | null): string {
  return [
    ...(firstRun.performed ? ['Premier lancement : base de connaissances créée.', ...firstRun.imports.map((i) => `  importé : ${i.origin} (${i.report.changes.added} fiches)`)] : []),
    ...firstRun.notices.map((notice) => `Note : ${notice}`),
    info ? formatInfo(info) : 'Base vide.',
    '',
    `Données : ${ctx.dataDir}`,
    info?.manifest.sources.some((source) => source.source === 'dila')
      ? 'Essayez : npx guichet ask "Quelles pièces pour la carte d\'identité d\'un enfant de 12 ans ?"'
      : 'Essayez : npx guichet ask "Quelle est la durée de la période d\'essai d\'un CDI ?"',
  ].join('\n');
}

export function formatInfo(info: CorpusInfo): string {
  const { manifest } = info;
  const byAudience = Object.entries(manifest.counts.byAudience).map(([a, n]) => `${a} ${count(n)}`).join(', ');
  return [
    `Base de connaissances : ${count(manifest.counts.fiches)} fiches (${count(manifest.counts.searchable)} consultables), ${count(manifest.counts.chunks)} passages`,
    `  par public : ${byAudience}`,
    `  base datée du ${frenchDate(manifest.knowledgeDate ?? manifest.newestFicheDate)} (il y a ${count(info.ageDays)} jours) — les montants et démarches ont pu changer depuis`,
    `  recherche : ${info.mode === 'hybrid' ? `hybride (plein texte + vecteurs ${manifest.embedder?.id})` : 'plein texte'}`,
    `  taille sur disque : ${frenchBytes(info.sizeBytes)}`,
    '  sources :',
    ...manifest.sources.map((s) => `    - ${s.source} ${s.audiences.join('/')} : ${count(s.fiches)} fiches, importées le ${s.importedAt.slice(0, 10)} depuis ${s.origin}`),
  ].join('\n');
}

function formatPack(report: CorpusPackReport): string {
  const { manifest } = report;
  return [
    `Paquet de corpus ${report.replaced ? 'remplacé' : 'écrit'} dans ${report.path} :`,
    ...manifest.feeds.map((feed) => `  ${feed.file} : ${feed.audiences.join(', ')}, ${count(feed.fiches)} fiches, la plus récente du ${frenchDate(feed.newestFicheDate)}, ${frenchBytes(feed.bytes)} (depuis ${feed.origin})`),
    `  total : ${count(manifest.fiches)} fiches, à jour au ${frenchDate(manifest.newestFicheDate)}`,
    ...(report.failures > 0 ? [`  ${count(report.failures)} fichiers des flux illisibles : leurs fiches ne seront pas importées sur les postes`] : []),
    `  empreinte du paquet (SHA-256 de SHA256SUMS) : ${manifest.sha256}`,
    '',
    `Copiez le dossier sur les postes ou sur un partage, puis indiquez son emplacement dans la politique : "corpus.packPath": ${JSON.stringify(report.path)}.`,
    'Pour vérifier une copie : « sha256sum -c SHA256SUMS » dans le dossier du paquet.',
  ].join('\n');
}

function formatImport(from: string, report: ImportReport): string {
  const { changes } = report;
  return [
    `Import terminé depuis ${from} :`,
    `  ${count(changes.added)} ajoutées, ${count(changes.changed)} modifiées, ${count(changes.removed)} retirées, ${count(changes.unchanged)} inchangées`,
    ...(changes.failures.length ? [`  ${count(changes.failures.length + changes.moreFailures)} fichiers illisibles, ignorés :`] : []),
    ...changes.failures.slice(0, 10).map((f) => `    - ${f.file} : ${f.message}`),
    `  base : ${count(report.manifest.counts.fiches)} fiches, ${count(report.manifest.counts.chunks)} passages`,
  ].join('\n');
}

/** « 25 551 »: counts in French figures, as everywhere the agent or IT reads them. */
function count(value: number): string {
  return frenchNumber(value, 0);
}
