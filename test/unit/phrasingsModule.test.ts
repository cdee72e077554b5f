import { describe, expect, it } from 'vitest';
import { mergePhrasings, parsePhrasings, phrasingsModule } from '../../assistant/eval/phrasingsModule.js';

describe('phrasings of the fiches', () => {
  it('reads a writer’s file, spaces tidied, and names the entry at fault in French', () => {
    expect(parsePhrasings({ F1: ['  ma voiture  a été enlevée '] }, 'a.json')).toEqual({ F1: ['ma voiture a été enlevée'] });
    expect(parsePhrasings({ 'T:article100977': ['essai au boulot'] }, 'a.json')).toEqual({ 'T:article100977': ['essai au boulot'] });
    expect(() => parsePhrasings({ N12: ['thème'] }, 'a.json')).toThrow(/a\.json : formulations invalides à « N12 »/);
    expect(() => parsePhrasings({ F1: [] }, 'a.json')).toThrow(/« F1 »/);
    expect(() => parsePhrasings({ F1: ['x'.repeat(500)] }, 'a.json')).toThrow(/« F1\.0 »/);
    expect(() => parsePhrasings(['F1'], 'a.json')).toThrow(/formulations invalides/);
  });

  it('lets a later file replace a fiche’s phrasings, and drops fiches the corpus no longer has', () => {
    const files: Record<string, string[]>[] = [{ F1: ['ancienne'], F2: ['retirée'] }, { F1: ['nouvelle'], F3: ['ajoutée'] }];
    expect(mergePhrasings(files)).toEqual({ F1: ['nouvelle'], F2: ['retirée'], F3: ['ajoutée'] });
    expect(mergePhrasings(files, (id) => id !== 'F2')).toEqual({ F1: ['nouvelle'], F3: ['ajoutée'] });
  });

  it('writes a module that TypeScript reads back as the same phrasings, sorted by fiche number', async () => {
    const source = phrasingsModule({ 'T:article1': ['essai'], F10: ['l’usager dit « c\'est \\ fini »'], F9: ['a', 'b'] }, 'Test.');
    const lines = source.split('\n').filter((line) => /^ {2}('T|F)/.test(line));
    expect(lines.map((line) => line.trim().split(/: \[/)[0])).toEqual(['F9', 'F10', "'T:article1'"]);
    const { FICHE_PHRASINGS } = (await import(`data:text/javascript,${encodeURIComponent(source.replace(/^export type .*$/m, '').replace(': FichePhrasings', ''))}`)) as {
      FICHE_PHRASINGS: Record<string, string[]>;
    };
    expect(FICHE_PHRASINGS).toEqual({ F9: ['a', 'b'], F10: ['l’usager dit « c\'est \\ fini »'], 'T:article1': ['essai'] });
  });
});
