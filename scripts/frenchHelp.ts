import type { Command } from 'commander';

const TITLES: Record<string, string> = {
  'Usage:': 'Utilisation :',
  'Options:': 'Options :',
  'Commands:': 'Commandes :',
  'Arguments:': 'Arguments :',
  'Global Options:': 'Options générales :',
};

const ERRORS: [RegExp, string][] = [
  [/^error: unknown option '(.+?)'/, "erreur : option inconnue « $1 »"],
  [/^error: unknown command '(.+?)'/, 'erreur : commande inconnue « $1 »'],
  [/^error: missing required argument '(.+?)'/, 'erreur : argument obligatoire manquant « $1 »'],
  [/^error: option '(.+?)' argument missing/, "erreur : l'option « $1 » attend une valeur"],
  [/^error: too many arguments/, "erreur : trop d'arguments"],
  [/^error: option '(.+?)' argument '(.+?)' is invalid\./, "erreur : valeur « $2 » invalide pour l'option « $1 »"],
  [/\(Did you mean (.+?)\?\)/, '(vouliez-vous dire $1 ?)'],
  [/ Allowed choices are (.+?)\.$/m, '. Valeurs possibles : $1.'],
];

/** Commander speaks English; agents and IT read French. Applies to a command and its future subcommands. */
export function frenchHelp(program: Command): Command {
  return program
    .helpOption('-h, --help', "afficher l'aide")
    .helpCommand('help [commande]', "afficher l'aide d'une commande")
    .configureHelp({ styleTitle: (title: string) => TITLES[title] ?? title, showGlobalOptions: true })
    .configureOutput({
      outputError: (message, write) => write(ERRORS.reduce((text, [pattern, french]) => text.replace(pattern, french), message)),
    });
}
