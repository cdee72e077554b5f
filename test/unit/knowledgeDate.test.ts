import { describe, expect, it } from 'vitest';
import type { ManifestSource } from '../../corpus/index/corpusManifest.js';
import { knowledgeDateOf } from '../../corpus/index/manifestBuilder.js';

/** A source of the manifest; `origin` undefined = embedded. */
function entry(source: ManifestSource['source'], audience: ManifestSource['audiences'][number], origin: string | undefined, newestFicheDate: string, fiches = 10): ManifestSource {
  return { source, audiences: [audience], origin: origin ?? `paquet (${audience})`, importedAt: '2026-12-01T10:00:00.000Z', newestFicheDate, fiches, ...(origin === undefined ? { embedded: true } : {}) };
}

const FIRST_RUN = undefined;

describe('knowledgeDateOf (the age of the knowledge base)', () => {
  it('dates the embedded corpus by its service-public.fr snapshot, not by the newer labour fiches', () => {
    const sources = [
      entry('dila', 'particuliers', FIRST_RUN, '2020-11-12'),
      entry('dila', 'professionnels', FIRST_RUN, '2020-11-05'),
      entry('dila', 'associations', FIRST_RUN, '2020-11-05'),
      entry('travail-emploi', 'particuliers', FIRST_RUN, '2026-03-13'),
    ];
    expect(knowledgeDateOf(sources, '2026-03-13')).toBe('2020-11-12');
  });

  it('stays old while one audience still has the embedded fiches after another was updated', () => {
    const sources = [
      entry('dila', 'professionnels', FIRST_RUN, '2020-11-05'),
      entry('dila', 'associations', FIRST_RUN, '2020-11-05'),
      entry('travail-emploi', 'particuliers', FIRST_RUN, '2026-03-13'),
      entry('dila', 'particuliers', 'https://lecomarquage.service-public.fr/vdd/3.4/part/zip/vosdroits-latest.zip', '2026-11-30'),
    ];
    expect(knowledgeDateOf(sources, '2026-11-30')).toBe('2020-11-05');
  });

  it('dates each imported file as its own snapshot', () => {
    const sources = [entry('dila', 'particuliers', '/a/vosdroits-part.zip', '2020-11-12'), entry('dila', 'professionnels', '/a/vosdroits-pro.zip', '2020-11-05')];
    expect(knowledgeDateOf(sources, '2020-11-12')).toBe('2020-11-05');
  });

  it('ignores empty sources and falls back on the newest fiche when no source has a date', () => {
    expect(knowledgeDateOf([entry('dila', 'particuliers', FIRST_RUN, '2025-01-01'), entry('dila', 'associations', '/b.zip', '', 0)], '2025-01-01')).toBe('2025-01-01');
    expect(knowledgeDateOf([], '2024-05-06')).toBe('2024-05-06');
  });
});
