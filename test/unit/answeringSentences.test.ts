import { describe, expect, it } from 'vitest';
import { answeringSentences, GAP, questionStems } from '../../assistant/ask/answeringSentences.js';
import { extractTokensFor, MIN_EXTRACT_TOKENS } from '../../assistant/ask/promptBudget.js';
import { estimateTokens } from '../../assistant/text/tokenEstimate.js';

const PASSAGE = [
  "La carte d'identité d'un mineur est demandée par une personne exerçant l'autorité parentale.",
  'Le mineur doit être présent lors du dépôt du dossier.',
  "La mairie peut être choisie librement : il n'est pas obligatoire d'habiter la commune.",
  'Une photo de moins de 6 mois et un justificatif de domicile du parent sont à fournir.',
  'Le délai de fabrication dépend de la période et du lieu de la demande.',
].join(' ');

describe('answering sentences', () => {
  it('keeps a passage that fits as it is', () => {
    expect(answeringSentences(PASSAGE, questionStems(['photo']), 1000)).toBe(PASSAGE);
  });

  it('keeps the sentences that carry the question’s words, in order, with « […] » for what is left out', () => {
    const kept = answeringSentences(PASSAGE, questionStems(['photo', 'justificatif', 'domicile']), 64);
    expect(kept).toContain('Une photo de moins de 6 mois et un justificatif de domicile du parent sont à fournir.');
    expect(kept.startsWith("La carte d'identité d'un mineur")).toBe(true);
    expect(kept).toContain(GAP.trim());
    expect(kept).not.toContain('délai de fabrication');
    expect(estimateTokens(kept)).toBeLessThanOrEqual(70);
    expect(kept.indexOf('mineur')).toBeLessThan(kept.indexOf('photo'));
  });

  it('matches words by their rough stem (plural, derivation)', () => {
    const kept = answeringSentences(PASSAGE, questionStems(['délais', 'fabrications']), 30);
    expect(kept).toContain('Le délai de fabrication dépend');
  });
});

describe('extract budget and reading speed', () => {
  it('the default for an unknown or fast model, less for a slow one, never below the floor', () => {
    expect(extractTokensFor(undefined, 600)).toBe(600);
    expect(extractTokensFor(5_000, 600)).toBe(600);
    expect(extractTokensFor(15, 600)).toBe(420);
    expect(extractTokensFor(2, 600)).toBe(MIN_EXTRACT_TOKENS);
  });
});
