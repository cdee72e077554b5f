import { describe, expect, it } from 'vitest';
import { assembleDilaCorpus } from '../../corpus/dila/dilaCorpus.js';
import type { DilaItem } from '../../corpus/dila/dilaEntry.js';
import { ficheOf, serviceOf } from '../support/dilaXml.js';

describe('DILA resources (R files) → OnlineService', () => {
  it('reads a téléservice without its title prefix', () => {
    expect(
      serviceOf({ id: 'R45668', title: "Pré-demande de carte d'identité", url: 'https://ants.gouv.fr/pre', source: 'ANTS', intro: 'Accessible avec un compte ANTS' }),
    ).toEqual({
      id: 'R45668',
      title: "Pré-demande de carte d'identité",
      url: 'https://ants.gouv.fr/pre',
      type: 'teleservice',
      institution: 'ANTS',
      description: 'Accessible avec un compte ANTS.',
    });
  });

  it('maps types, reads the cerfa number and falls back on the resource page when there is no link', () => {
    expect(serviceOf({ type: 'Formulaire', cerfa: '13974*02' })).toMatchObject({ type: 'formulaire', cerfa: '13974*02' });
    expect(serviceOf({ type: 'Simulateur' }).type).toBe('simulateur');
    expect(serviceOf({ type: 'Outil de recherche' }).type).toBe('outil-de-recherche');
    expect(serviceOf({ type: 'Téléservice personnalisé sur SP' }).type).toBe('teleservice');
    const model = serviceOf({ id: 'R10136', type: 'Modèle de document', url: null });
    expect(model).toMatchObject({ type: 'modele-de-document', url: 'https://www.service-public.fr/particuliers/vosdroits/R10136' });
    expect(model.institution).toBeUndefined();
  });
});

describe('assembleDilaCorpus', () => {
  const fiche = (id: string, feed: string, services = ''): DilaItem => ({
    type: 'fiche',
    fiche: ficheOf({ id, feed, audiences: [feed], body: `<Texte><Paragraphe>Texte de ${id}.</Paragraphe></Texte>${services}` }),
  });

  it('completes the services a fiche cites from the feed resources, without overriding what the fiche says', () => {
    const items: DilaItem[] = [
      fiche('F1', 'Particuliers', '<ServiceEnLigne ID="R7" type="Modèle de document"><Titre>Modèle</Titre></ServiceEnLigne><ServiceEnLigne ID="R8" URL="https://propre.fr" type="Téléservice"><Titre>Titre de la fiche</Titre></ServiceEnLigne><ServiceEnLigne ID="R99" type="Formulaire"><Titre>Inconnu</Titre></ServiceEnLigne>'),
      { type: 'resource', service: serviceOf({ id: 'R7', type: 'Modèle de document', title: 'Modèle', url: 'https://modele.fr', source: 'Dila' }) },
      { type: 'resource', service: serviceOf({ id: 'R8', title: 'Titre de la ressource', url: 'https://autre.fr', source: 'ANTS', intro: 'Aide.' }) },
    ];
    const corpus = assembleDilaCorpus(items);
    expect(corpus.fiches[0]?.onlineServices).toEqual([
      { id: 'R7', title: 'Modèle', url: 'https://modele.fr', type: 'modele-de-document', institution: 'Dila' },
      { id: 'R8', title: 'Titre de la fiche', url: 'https://propre.fr', type: 'teleservice', institution: 'ANTS', description: 'Aide.' },
      { id: 'R99', title: 'Inconnu', url: 'https://www.service-public.fr/particuliers/vosdroits/R99', type: 'formulaire' },
    ]);
    expect(corpus.onlineServices.map((s) => s.id)).toEqual(['R7', 'R8', 'R99']);
    // The input is left as it was.
    expect(items[0]?.type === 'fiche' && items[0].fiche.onlineServices[0]?.url).toBe('');
  });

  it('keeps a fiche met in two feeds once, under its first audience, with both audiences listed', () => {
    const corpus = assembleDilaCorpus([fiche('F10403', 'Particuliers'), fiche('F2', 'Particuliers'), fiche('F10403', 'Professionnels')]);
    expect(corpus.fiches.map((f) => f.id)).toEqual(['F10403', 'F2']);
    expect(corpus.duplicateFiches).toBe(1);
    expect(corpus.fiches[0]).toMatchObject({ audience: 'particuliers', audiences: ['particuliers', 'professionnels'] });
  });
});
