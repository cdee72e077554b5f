import { describe, expect, it } from 'vitest';
import { situationCues, situationMismatch } from '../../corpus/search/situationCues.js';

describe('situation cues: who the question is about', () => {
  it('reads the age group from words or an age, and the public sector from its names', () => {
    expect(situationCues('cni volée majeur que faire')).toEqual({ ageGroup: 'majeur', publicSector: false, abroad: false });
    expect(situationCues('fils 23 ans etudiant, les parents veulent le garder sur leur declaration')).toMatchObject({ ageGroup: 'majeur' });
    expect(situationCues('CNI de sa fille de 8 ans')).toMatchObject({ ageGroup: 'mineur' });
    expect(situationCues('un ado veut travailler cet été')).toMatchObject({ ageGroup: 'mineur' });
    expect(situationCues('un adulte et un mineur voyagent')).toEqual({ publicSector: false, abroad: false });
    expect(situationCues('fonctionnaire qui démissionne, chômage ?').publicSector).toBe(true);
    expect(situationCues('agent public en disponibilité').publicSector).toBe(true);
  });

  it('a title about another situation than the one stated is a mismatch; general titles never are', () => {
    const adult = situationCues('cni volée majeur');
    expect(situationMismatch("Carte nationale d'identité d'un mineur : en cas de vol", adult)).toBe(1);
    expect(situationMismatch("Carte d'identité d'un majeur : en cas de vol", adult)).toBe(0);
    expect(situationMismatch("Carte d'identité d'un majeur : en cas de vol", situationCues('sa fille de 8 ans a perdu sa cni'))).toBe(1);
    const privateSector = situationCues('si il démissionne il a droit au chomage ?');
    expect(situationMismatch("Un agent public peut-il percevoir l'allocation chômage en cas de démission ?", privateSector)).toBe(1);
    expect(situationMismatch("Un salarié peut-il percevoir l'allocation chômage en cas de démission ?", privateSector)).toBe(0);
    expect(situationMismatch("Prime d'activité : salarié ou fonctionnaire", privateSector)).toBe(0);
    expect(situationMismatch("Un agent public peut-il percevoir l'allocation chômage en cas de démission ?", situationCues('fonctionnaire démission chômage'))).toBe(0);
  });

  it('a title about living abroad is another situation, unless the question goes abroad or names a country', () => {
    const home = situationCues('Quelles sont les conditions pour toucher le RSA ?');
    expect(situationMismatch("Peut-on toucher le RSA à l'étranger ?", home)).toBe(1);
    expect(situationMismatch('Peut-on toucher le RSA à l’étranger ?', home)).toBe(1);
    expect(situationMismatch('RSA demandeur de 25 ans et plus', home)).toBe(0);
    for (const question of ['je pars vivre à l’étranger, mon RSA ?', 'RSA si je pars 4 mois au Portugal', 'un étranger a-t-il droit au RSA']) {
      expect(situationMismatch("Peut-on toucher le RSA à l'étranger ?", situationCues(question))).toBe(0);
    }
  });
});
