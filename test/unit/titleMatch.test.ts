import { describe, expect, it } from 'vitest';
import { analyzeQuery } from '../../corpus/search/queryAnalysis.js';
import { titleMatch } from '../../corpus/search/titleMatch.js';

describe('titleMatch', () => {
  it('prefers the general fiche to a narrower question about the same subject', () => {
    const analysis = analyzeQuery("montant de l'AAH");
    const general = titleMatch('Allocation aux adultes handicapés (AAH)', analysis);
    const narrow = titleMatch("Peut-on cumuler l'allocation adulte handicapé (AAH) et le RSA ?", analysis);
    expect(general).toBeGreaterThan(narrow);
  });

  it('reads « créer » in a title that says « crée »: short -éer verbs meet their conjugated forms', () => {
    const analysis = analyzeQuery('créer une association');
    expect(titleMatch('Je crée une association', analysis)).toBeCloseTo(1);
    expect(titleMatch('Je crée une association', analysis)).toBeGreaterThan(
      titleMatch('Un mineur peut-il créer et administrer une association ou en devenir membre ?', analysis),
    );
  });

  it('counts a subject word named through its expansion, and an expansion phrase once', () => {
    const analysis = analyzeQuery('CNI de ma fille pour la 1ere fois');
    const first = titleMatch("Carte d'identité d'un mineur : première demande", analysis);
    const theft = titleMatch("Carte nationale d'identité d'un mineur : en cas de vol", analysis);
    expect(first).toBeGreaterThan(theft);
  });

  it('is zero for an unrelated title and bounded', () => {
    const analysis = analyzeQuery('passeport perdu');
    expect(titleMatch('Allocations familiales', analysis)).toBe(0);
    expect(titleMatch('Passeport perdu', analysis)).toBeLessThanOrEqual(1.25);
  });
});
