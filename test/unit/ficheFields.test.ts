import { describe, expect, it } from 'vitest';
import type { Fiche } from '../../corpus/fiche.js';
import { ficheFieldsOf } from '../../corpus/search/ficheFields.js';

function fiche(id: string, extra: Partial<Fiche> = {}): Fiche {
  return {
    id, source: 'dila', audience: 'particuliers', kind: 'information', title: `Titre ${id}`, description: '', date: '2020-11-12',
    url: '', themes: [], breadcrumb: [{ id: 'Particuliers', title: 'Accueil' }], sections: [{ path: [], text: 'Intro.' }],
    relatedQuestions: [], onlineServices: [], contacts: [], references: [], searchable: true, ...extra,
  };
}

describe('ficheFieldsOf', () => {
  const fiches = [
    fiche('F1', {
      title: 'RSA demandeur de 25 ans et plus',
      breadcrumb: [{ id: 'Particuliers', title: 'Accueil' }, { id: 'N2', title: 'Social' }, { id: 'F1', title: 'RSA demandeur' }],
      dossier: { id: 'N9', title: 'Revenu de solidarité active (RSA)', groups: [{ title: 'Conditions', fiches: [{ id: 'F1', title: 'RSA' }] }] },
      sections: [{ path: [], text: '> **À noter** : le RSA.' }, { path: ['Cas général', 'Conditions'], text: 'x' }, { path: ['Cas général'], text: 'y' }],
    }),
    fiche('F2', { kind: 'question-reponse', title: 'Peut-on toucher le RSA à 20 ans ?', links: [{ id: 'F1', title: 'revenu minimum' }] }),
    fiche('F3', { links: [{ id: 'F1', title: 'RSA' }, { id: 'F3', title: 'soi-même' }], relatedQuestions: [{ ficheId: 'F2', question: 'Peut-on…' }] }),
    fiche('N9', { kind: 'dossier', searchable: false, dossier: { id: 'N9', title: 'RSA', groups: [{ fiches: [{ id: 'F1', title: 'RSA' }] }] } }),
  ];
  const byKey = new Map(ficheFieldsOf(fiches, { F1: ['je touche plus rien', 'minimum social'] }).map((fields) => [fields.key, fields]));

  it('reads the trail, the headings and the introduction of each searchable fiche', () => {
    const rsa = byKey.get('particuliers:F1');
    expect(rsa?.trail.split('\n')).toEqual(['Social', 'Revenu de solidarité active (RSA)', 'Conditions']);
    expect(rsa?.headings.split('\n')).toEqual(['Cas général', 'Conditions']);
    expect(rsa?.summary).toContain('le RSA');
    expect(rsa?.body.split('\n')).toEqual(['> **À noter** : le RSA.', 'x', 'y']);
    expect(byKey.has('particuliers:N9')).toBe(false);
  });

  it('gives a fiche the words other fiches use for it, and counts who points to it', () => {
    const rsa = byKey.get('particuliers:F1');
    expect(rsa?.inbound.split('\n')).toEqual(['revenu minimum', 'Peut-on toucher le RSA à 20 ans ?', 'RSA']);
    // F2 and F3 link to it, the dossier N9 lists it; F3's link to itself is not counted.
    expect(rsa?.inlinks).toBe(3);
    expect(byKey.get('particuliers:F3')?.inlinks).toBe(0);
    expect(byKey.get('particuliers:F2')?.inlinks).toBe(1);
  });

  it('adds the phrasings written for the fiche, by its id, in every audience it is published for', () => {
    expect(byKey.get('particuliers:F1')?.asked.split('\n')).toEqual(['je touche plus rien', 'minimum social']);
    expect(byKey.get('particuliers:F2')?.asked).toBe('');
    const pro = ficheFieldsOf([fiche('F1', { audience: 'professionnels' })], { F1: ['minimum social'] });
    expect(pro[0]?.asked).toBe('minimum social');
  });
});
