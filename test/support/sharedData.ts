import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A path inside ../shared (the real DILA feeds, test models, eval sets). */
export function sharedDir(relative: string): string {
  return fileURLToPath(new URL(`../../../shared/${relative}`, import.meta.url));
}

/** Like `sharedDir`, but fails loudly when the file is missing: a missing fixture is an error in CI. */
export function sharedFile(relative: string): string {
  const path = sharedDir(relative);
  if (!existsSync(path)) throw new Error(`Fichier de test manquant : ${path}`);
  return path;
}

export const DILA_FEEDS = {
  particuliers: 'corpus/dila/vosdroits-part-2020-11-12.zip',
  professionnels: 'corpus/dila/vosdroits-pro-2020-11-12.zip',
  associations: 'corpus/dila/vosdroits-asso-2020-11-12.zip',
} as const;
