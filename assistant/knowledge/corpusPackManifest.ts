import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AUDIENCES, type Audience } from '../../corpus/fiche.js';
import { AssistantError } from '../assistantError.js';
import { sha256Of } from './feedLoader.js';

/**
 * A corpus pack, as `guichet corpus pack` writes it and the first run reads it (policy `corpus.packPath`): a folder
 * holding the DILA feed zips byte for byte as published (`vosdroits-part.zip`, …), a `manifeste.json` naming each one
 * with its audiences, its newest fiche's date, its size and SHA-256, and a `SHA256SUMS` that IT can check with
 * `sha256sum -c` on any PC. Nothing in it depends on when or where it was built: the same feeds give the same bytes.
 */
export const PACK_MANIFEST = 'manifeste.json';
export const PACK_CHECKSUMS = 'SHA256SUMS';
export const PACK_FORMAT = 'guichet-corpus-pack';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const packFeedSchema = z.strictObject({
  file: z.string().regex(/^[\w.-]+\.zip$/),
  audiences: z.array(z.enum(AUDIENCES as [Audience, ...Audience[]])).min(1),
  /** Where the feed came from: its URL, or the name of the file it was copied from. */
  origin: z.string(),
  newestFicheDate: isoDate,
  fiches: z.number().int().min(1),
  bytes: z.number().int().min(1),
  sha256,
});

const packManifestSchema = z.strictObject({
  format: z.literal(PACK_FORMAT),
  version: z.literal(1),
  /** The newest fiche of all the feeds: the date of the pack's knowledge. */
  newestFicheDate: isoDate,
  fiches: z.number().int().min(1),
  feeds: z.array(packFeedSchema).min(1),
  /** SHA-256 of the `SHA256SUMS` file: one fingerprint for the whole pack, to compare between two copies. */
  sha256,
});

export type CorpusPackFeed = z.infer<typeof packFeedSchema>;
export type CorpusPackManifest = z.infer<typeof packManifestSchema>;

/** The `SHA256SUMS` text of these feeds, in `sha256sum`'s format, in the manifest's order. */
export function packChecksums(feeds: readonly Pick<CorpusPackFeed, 'file' | 'sha256'>[]): string {
  return feeds.map((feed) => `${feed.sha256}  ${feed.file}\n`).join('');
}

/** The manifest's text: keys in a fixed order, so that the same feeds always give the same bytes. */
export function manifestText(manifest: CorpusPackManifest): string {
  return `${JSON.stringify(packManifestSchema.parse(manifest), null, 2)}\n`;
}

/** The pack's manifest, or undefined for a folder of zips put together by hand (no manifest: nothing to check). */
export async function readPackManifest(pack: string): Promise<CorpusPackManifest | undefined> {
  const text = await readFile(join(pack, PACK_MANIFEST), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw invalidPack(pack, `${PACK_MANIFEST} est illisible`, error);
  });
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalidPack(pack, `${PACK_MANIFEST} n'est pas un JSON valide`, error);
  }
  const parsed = packManifestSchema.safeParse(data);
  if (!parsed.success) throw invalidPack(pack, `${PACK_MANIFEST} ne suit pas le format des paquets de corpus`, parsed.error);
  return parsed.data;
}

/**
 * Before anything is read or imported: every feed the manifest names is there, with its size and SHA-256. A copy cut
 * short or altered on the share is refused with the pack's own message, and the agent's base stays as it was.
 */
export async function verifyPack(pack: string, manifest: CorpusPackManifest): Promise<void> {
  for (const feed of manifest.feeds) {
    const path = join(pack, feed.file);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw invalidPack(pack, `${feed.file} manque`);
    if (info.size !== feed.bytes || (await sha256Of(path)) !== feed.sha256) {
      throw invalidPack(pack, `${feed.file} ne correspond pas à son empreinte SHA-256 (copie incomplète ou modifiée)`);
    }
  }
}

function invalidPack(pack: string, reason: string, cause?: unknown): AssistantError {
  return new AssistantError('pack-invalid', `Le paquet de corpus ${pack} est inutilisable : ${reason}. Recopiez-le depuis le paquet d'origine, ou reconstruisez-le avec « guichet corpus pack ».`, { cause });
}
