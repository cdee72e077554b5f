import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SourceCard from '../../../renderer/src/lib/components/question/SourceCard.svelte';
import { sentencesCiting } from '../../../renderer/src/lib/text/highlight.js';
import * as data from '../fakes/fixtures.js';

describe('source card', () => {
  it('highlights the passage sentences the answer cites', () => {
    const answer = "Il faut fournir une photo d'identité de moins de 6 mois et un justificatif de domicile [1]. La demande se fait en mairie [2].";
    const { container } = render(SourceCard, { source: data.SOURCES[0]!, id: 'card', probesFor: (n: number) => sentencesCiting(answer, n), onOpen: () => {} });
    const marks = [...container.querySelectorAll('mark')].map((m) => m.textContent?.trim());
    expect(marks).toContain("Il faut fournir une photo d'identité de moins de 6 mois et un justificatif de domicile du parent.");
    expect(marks).toContain("La demande se fait dans une mairie équipée d'un dispositif de recueil, quel que soit le lieu de domicile.");
    expect(marks).not.toContain("L'enfant doit être présent lors du dépôt du dossier.");
  });

  it('warns when the fiche is older than a year', () => {
    const { getByText } = render(SourceCard, { source: data.SOURCES[1]!, id: 'card', onOpen: () => {}, now: Date.parse('2026-01-15') });
    expect(getByText('Fiche ancienne')).toBeTruthy();
    expect(getByText(/il y a 3 ans/)).toBeTruthy();
  });
});
