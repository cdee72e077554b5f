import { describe, expect, it } from 'vitest';
import type { ManifestSource } from '../../corpus/index/corpusManifest.js';
import { knowledgeDateOf } from '../../corpus/index/manifestBuilder.js';

function entry(source: ManifestSource['source'], audience: ManifestSource['audiences'][number], importedAt: string, newestFicheDate: string, fiches = 10): ManifestSource {
  return { source, audiences: [audience], origin: 'x', importedAt, newestFicheDate, fiches };
}

const FIRST_RUN = '2026-12-01T10:00:00.000Z';

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
      entry('dila', 'particuliers', '2026-12-02T08:00:00.000Z', '2026-11-30'),
    ];
    expect(knowledgeDateOf(sources, '2026-11-30')).toBe('2020-11-05');
  });

  it('ignores empty sources and falls back on the newest fiche when no source has a date', () => {
    expect(knowledgeDateOf([entry('dila', 'particuliers', FIRST_RUN, '2025-01-01'), entry('dila', 'associations', 'later', '', 0)], '2025-01-01')).toBe('2025-01-01');
    expect(knowledgeDateOf([], '2024-05-06')).toBe('2024-05-06');
  });
});
