import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from './cliContext.js';
import { CliUsageError } from './cliOutput.js';

/** `--remote`, `--remote-model` and `--model`, as commander gives them. */
export interface RuntimeFlags {
  remote?: string;
  remoteModel?: string;
  /** A GGUF file, or `false` for `--no-model` (then no runtime is chosen at all). */
  model?: string | false;
}

/**
 * Adds `--remote <url>` and `--remote-model <nom>` to a command that writes with a model (ask, reply, models test,
 * eval). The server is still checked against machine policy in the engine, on every request.
 */
export function addRuntimeFlags(command: Command): Command {
  return command
    .option('--remote <url>', "serveur de modèle partagé (API compatible OpenAI, par exemple https://llm.service.gouv.fr/v1) pour cette commande, si la politique du poste l'autorise")
    .option('--remote-model <nom>', 'modèle du serveur partagé (par défaut : le réglage runtime.remote.model, sinon le premier proposé)');
}

/**
 * The settings of this command with its runtime flags applied: `--remote`/`--remote-model` set the shared server for
 * this run only; `--model <fichier>` writes on this PC even when a server is configured. A value fixed by machine
 * policy cannot be overridden (usage error, exit 2). One place for every command that picks a runtime.
 */
export function withRuntimeFlags(ctx: CliContext, flags: RuntimeFlags): CliContext {
  const values = { ...ctx.settings.values };
  const locked = ctx.settings.locked;
  if (flags.remote !== undefined && typeof flags.model === 'string') throw new CliUsageError('--remote et --model s’excluent : choisissez le serveur partagé ou un modèle de ce poste.');
  if (flags.remote !== undefined) {
    if (locked.includes('runtime.remote.url') && values['runtime.remote.url'] !== flags.remote) {
      throw new CliUsageError('--remote est refusé : le serveur de modèle est fixé par la politique du poste (runtime.remote.url).');
    }
    values['runtime.remote.url'] = flags.remote;
  }
  if (flags.remoteModel !== undefined) {
    if (!values['runtime.remote.url']) throw new CliUsageError('--remote-model demande un serveur partagé : ajoutez --remote <url> (ou le réglage runtime.remote.url).');
    if (locked.includes('runtime.remote.model') && values['runtime.remote.model'] !== flags.remoteModel) {
      throw new CliUsageError('--remote-model est refusé : le modèle du serveur est fixé par la politique du poste (runtime.remote.model).');
    }
    values['runtime.remote.model'] = flags.remoteModel;
  }
  if (typeof flags.model === 'string' && values['runtime.remote.url']) {
    if (locked.includes('runtime.remote.url')) throw new CliUsageError('--model est refusé : la politique du poste impose le serveur de modèle partagé (runtime.remote.url).');
    values['runtime.remote.url'] = null;
  }
  return { ...ctx, settings: { ...ctx.settings, values } };
}

/** « Rédigé sur … » for the CLI's human output; empty when written on this PC. */
export function writtenOnLine(writtenOn: string | undefined): string[] {
  return writtenOn ? [`Rédigé sur ${writtenOn}`] : [];
}

/** `--model <fichier>` made absolute (the engine does not run in this folder). */
export function modelFlagPath(model: string | false | undefined): string | undefined {
  return typeof model === 'string' ? resolve(model) : undefined;
}
