import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { GuichetApi } from '../engineSession.js';
import { withEngineChannel } from '../engineSession.js';
import type { startWebShell } from '../../server/webShell.js';
import { contextOf, type CliContext } from '../cliContext.js';
import { CliUsageError, printResult, withProgress } from '../cliOutput.js';
import { integerOption } from '../cliParams.js';
import { cliRun } from '../cliRun.js';
import { formatStart } from './corpusCommands.js';
import { openBrowser } from './openBrowser.js';
import { ensureRenderer } from './rendererBuild.js';

/** Options of `guichet serve` (and of `guichet` alone). */
export interface ServeOptions {
  port?: string;
  /** `--no-open` sets it to false. */
  open?: boolean;
  model?: string;
}

/** `guichet serve` and `guichet prepare`: the agent's screen in the browser, and the first-run steps alone. */
export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description("ouvrir l'écran de l'agent dans le navigateur (serveur local sur 127.0.0.1, arrêt par Ctrl-C) ; options --port et --no-open")
    .option('--model <fichier.gguf>', 'modèle de langue pour cette session (par défaut : le réglage runtime.modelPath)')
    .action(async (_options: unknown, command: Command) => {
    const options = command.optsWithGlobals<ServeOptions>();
    const ctx = withModel(await contextOf(command), options.model);
    await withEngineChannel(ctx, (channel, api) => serve(ctx, options, channel, api));
    });

  program
    .command('prepare')
    .description("premier lancement seul : importe les fiches embarquées si la base est vide, puis quitte (scripts, DSI)")
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      await withEngineChannel(ctx, async (_channel, api) => prepare(ctx, api));
    });
}

/**
 * `--port` and `--no-open`, on the program: `guichet` alone and `guichet serve` both read them (commander lets program
 * options follow a subcommand, so `guichet serve --port 8080` works). `--model` is `serve`'s own: on the program it
 * would take `guichet ask --model`.
 */
export function addServeOptions(command: Command): Command {
  return command
    .option('--port <numéro>', "guichet et guichet serve : port TCP sur 127.0.0.1 (défaut : un port libre)")
    .option('--no-open', "guichet et guichet serve : ne pas ouvrir le navigateur (l'adresse est seulement affichée)");
}

/** `guichet` alone: the first-run steps, then the screen, on one engine that lives as long as the server. */
export async function prepareAndServe(command: Command): Promise<void> {
  const options = command.opts<ServeOptions>();
  const ctx = await contextOf(command);
  await withEngineChannel(ctx, async (channel, api) => {
    await prepare(ctx, api);
    if (cliRun.interrupted) return;
    await serve(ctx, options, channel, api);
  });
}

/** Imports the embedded corpus when the data dir has none, and says what the base holds. */
async function prepare(ctx: CliContext, api: GuichetApi): Promise<void> {
  const result = await withProgress(ctx, 'Premier lancement', api.corpus.prepare(undefined, { signal: cliRun.signal }));
  printResult(ctx, result, ({ firstRun, info }) => formatStart(ctx, firstRun, info));
}

/** Serves the screen until Ctrl-C. */
async function serve(ctx: CliContext, options: ServeOptions, channel: Parameters<typeof startWebShell>[0]['channel'], api: GuichetApi): Promise<void> {
  const port = options.port === undefined ? 0 : integerOption(options.port, '--port');
  if (port < 0 || port > 65_535) throw new CliUsageError(`--port doit être entre 0 et 65535 (reçu : ${port}).`);
  const say = (line: string): void => void process.stderr.write(`${line}\n`);
  const rendererDir = await ensureRenderer(say);
  // The engine starts now, not on the agent's first click.
  const starting = api.engine.ping().catch(() => undefined);
  // Loaded when serving, not at start: `guichet --help` needs none of it.
  const { startWebShell } = await import('../../server/webShell.js');
  const shell = await startWebShell({
    channel,
    rendererDir,
    port,
    onInternalError: (method, error) => ctx.verbose && say(`Erreur interne (${method}) : ${String((error as Error)?.stack ?? error)}`),
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'EADDRINUSE') throw new CliUsageError(`Le port ${port} est déjà utilisé : choisissez-en un autre avec --port, ou laissez Guichet en choisir un.`);
    throw error;
  });
  await starting;
  const opened = options.open !== false && openBrowser(shell.url);
  if (ctx.json) process.stdout.write(`${JSON.stringify({ url: shell.url, port: shell.port, opened })}\n`);
  else {
    process.stdout.write(
      [
        '',
        `Guichet est prêt : ouvrez ${shell.url}`,
        opened ? '(le navigateur s’ouvre sur cette adresse)' : '(copiez cette adresse dans votre navigateur ; elle ne sert que sur ce poste)',
        'Ctrl-C pour arrêter Guichet.',
        '',
      ].join('\n'),
    );
  }
  const signal = cliRun.signal;
  await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
  await shell.close();
  if (!ctx.json) say('Guichet est arrêté.');
}

/** `--model` for this session only: the engine uses this file instead of `runtime.modelPath`, unless policy fixes it. */
function withModel(ctx: CliContext, model: string | undefined): CliContext {
  if (model === undefined) return ctx;
  if (ctx.settings.locked.includes('runtime.modelPath')) throw new CliUsageError('--model est refusé : le modèle est fixé par la politique du poste (runtime.modelPath).');
  return { ...ctx, settings: { ...ctx.settings, values: { ...ctx.settings.values, 'runtime.modelPath': resolve(model) } } };
}
