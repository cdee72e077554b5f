import { describe, expect, it } from 'vitest';
import { ficheChapters, ficheLead } from '../../../renderer/src/lib/components/fiche/ficheTree.js';

const INTRO = "Oui, un mineur peut créer et administrer une association dans des conditions qui varient selon qu'il est âgé de plus ou de moins 16 ans.";

function chapters(intro: string) {
  return ficheChapters({ sections: [{ path: [], text: intro }, { path: ['Cas général'], text: 'Tout mineur peut adhérer.' }] } as never);
}

describe('fiche lead', () => {
  it('is left out when the introduction opens with the description (DILA repeats it)', () => {
    expect(ficheLead(INTRO, chapters(`${INTRO}\n\nEn revanche, il peut adhérer à une association sans condition d'âge.`))).toBeNull();
    expect(ficheLead(INTRO, chapters(`**Oui**, un mineur peut créer et administrer une association dans des conditions qui varient selon qu'il est âgé de plus ou de moins 16 ans.`))).toBeNull();
  });

  it('is shown when it says something the introduction does not', () => {
    expect(ficheLead('Les conditions pour adhérer.', chapters(INTRO))).toBe('Les conditions pour adhérer.');
    expect(ficheLead(undefined, chapters(INTRO))).toBeNull();
  });
});
