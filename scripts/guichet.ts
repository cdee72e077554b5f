import { Command, CommanderError } from 'commander';
import { compose, type CliComposition } from './cliContext.js';
import { reportError } from './cliOutput.js';
import { projectRoot } from './projectRoot.js';
import { cliRun } from './cliRun.js';
import { discardEarlyEngine, startEngineEarly } from './engineSession.js';
import { frenchHelp } from './frenchHelp.js';
import { registerCorpusCommands, runDefault } from './commands/corpusCommands.js';
import { registerKnowledgeCommands } from './commands/knowledgeCommands.js';
import { registerEvalCommands } from './commands/evalCommands.js';
import { registerAskCommands } from './commands/askCommands.js';
import { registerReplyCommands } from './commands/replyCommands.js';
import { registerHistoryCommands } from './commands/historyCommands.js';
import { registerSettingsCommands } from './commands/settingsCommands.js';
import { registerModelsCommands } from './commands/models.js';
import { addServeOptions, registerServeCommands } from './commands/serveCommands.js';

const { version } = projectRoot();

/** The `guichet` program: global options and every command group. */
export function buildProgram(composition: CliComposition = {}): Command {
  const program = addServeOptions(frenchHelp(new Command('guichet')))
    .description('Guichet : assistant hors ligne pour les agents des services publics, à partir des fiches de service-public.fr.')
    .version(version, '-V, --version', 'afficher la version')
    .option('--data-dir <dossier>', 'dossier des données (index, réglages, conversations) ; défaut : dossier de données utilisateur du système')
    .option('--json', 'sortie JSON lisible par une machine')
    .option('--verbose', 'afficher les causes techniques des erreurs')
    .exitOverride()
    .action(async (_options: unknown, command: Command) => runDefault(command));
  registerCorpusCommands(program);
  registerKnowledgeCommands(program);
  registerEvalCommands(program);
  registerAskCommands(program);
  registerReplyCommands(program);
  registerHistoryCommands(program);
  registerSettingsCommands(program);
  registerModelsCommands(program);
  registerServeCommands(program);
  compose(program, composition);
  return program;
}

/**
 * Runs the command line and returns the exit code; never throws. 0 done, 1 failed (or done in part: the sources
 * printed, the model named not loaded), 2 wrong usage, 130 interrupted (Ctrl-C).
 */
export async function main(argv: string[], composition?: CliComposition): Promise<number> {
  await startEngineEarly(argv);
  const program = buildProgram(composition);
  try {
    await program.parseAsync(argv);
    if (cliRun.interrupted) {
      process.stderr.write('Opération annulée.\n');
      return 130;
    }
    return cliRun.exitCode;
  } catch (error) {
    // Help and version exit 0; every other commander error is a usage error: 2, as our own.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // Work stopped by Ctrl-C ends with its own error (an import « annulé »): it is the interruption, not a failure.
    if (cliRun.interrupted) {
      process.stderr.write('Opération annulée.\n');
      return 130;
    }
    const options = program.opts<{ json?: boolean; verbose?: boolean }>();
    return reportError(error, options.json === true, options.verbose === true);
  } finally {
    discardEarlyEngine();
  }
}
