import type { Command } from 'commander';
import { contextOf } from '../cliContext.js';
import { CliUsageError, printResult } from '../cliOutput.js';
import { withEngine } from '../engineSession.js';

/** `guichet settings …`: the user's settings, and which ones machine policy locks, through the engine. */
export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('réglages (la politique machine de la DSI prime sur eux)');
  settings
    .command('list')
    .description('tous les réglages, leur valeur et ceux fixés par la politique')
    .action(async (_options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      const { values, locked, warnings } = await withEngine(ctx, (api) => api.settings.get());
      const { SETTING_KEYS } = await import('../../assistant/settings/settingsSchema.js');
      printResult(ctx, { values, locked, warnings, policyPath: ctx.settingsSources.policyPath }, () =>
        [
          ...SETTING_KEYS.map((key) => `${key} = ${JSON.stringify(values[key])}${locked.includes(key) ? '   (fixé par la politique)' : ''}`),
          `Politique machine : ${ctx.settingsSources.policyPath}`,
        ].join('\n'),
      );
    });
  settings
    .command('set <clé> <valeur>')
    .description('changer un réglage (valeur JSON : 4, true, "texte", null)')
    .action(async (key: string, raw: string, _options: unknown, command: Command) => {
      const ctx = await contextOf(command);
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // A bare word is a string: `guichet settings set runtime.gpu cpu`.
      }
      if (!key) throw new CliUsageError('Clé de réglage manquante.');
      const resolved = await withEngine(ctx, (api) => api.settings.set({ key, value }));
      printResult(ctx, resolved, () =>
        [
          `${key} = ${JSON.stringify(resolved.values[key as keyof typeof resolved.values])}`,
          ...(resolved.restartRequired.length > 0 ? ['Ce réglage sera pris en compte au prochain démarrage de Guichet.'] : []),
        ].join('\n'),
      );
    });
}
