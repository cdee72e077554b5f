import { describe, expect, it } from 'vitest';
import { CorpusError } from '../../corpus/corpusError.js';
import { parseDilaEntry } from '../../corpus/dila/dilaEntry.js';
import { ficheKindFromType } from '../../corpus/dila/dilaVocabulary.js';
import { ficheOf, publicationXml, type PublicationFixture } from '../support/dilaXml.js';

const P = (text: string): string => `<Paragraphe>${text}</Paragraphe>`;

function failureOf(name: string, xml: string): CorpusError {
  const result = parseDilaEntry(name, xml);
  if (result.ok) throw new Error(`${name} aurait dû échouer`);
  expect(result.error).toBeInstanceOf(CorpusError);
  return result.error;
}

function failureOfFixture(f: PublicationFixture): CorpusError {
  return failureOf('F9001.xml', publicationXml(f));
}

describe('DILA Publication → Fiche', () => {
  it('reads the metadata', () => {
    const fiche = ficheOf({
      id: 'F1342',
      type: "Fiche d'information conditionnée",
      title: "Carte d'identité d'un mineur",
      description: 'Pour faire la carte…',
      date: 'modified 2020-07-21',
      spUrl: 'https://www.service-public.fr/particuliers/vosdroits/F1342',
      body: `<Texte>${P('Texte.')}</Texte>`,
    });
    expect(fiche).toMatchObject({
      id: 'F1342',
      source: 'dila',
      audience: 'particuliers',
      kind: 'information',
      title: "Carte d'identité d'un mineur",
      description: 'Pour faire la carte…',
      date: '2020-07-21',
      url: 'https://www.service-public.fr/particuliers/vosdroits/F1342',
      themes: ['Papiers - Citoyenneté'],
      searchable: true,
    });
    expect(fiche.breadcrumb.map((b) => b.id)).toEqual(['Particuliers', 'N1', 'F1342']);
  });

  it('maps every publication type to a kind', () => {
    const cases: [string, string][] = [
      ["Fiche d'information", 'information'],
      ['Fiche d’information conditionnée', 'information'],
      ['Fiche Question-réponse', 'question-reponse'],
      ['Fiche Question-réponse conditionnée', 'question-reponse'],
      ['Fiche Comment faire si', 'comment-faire-si'],
      ['Fiche Comment faire si - simulateur', 'comment-faire-si'],
      ['Fiche avec liens externes', 'liens-externes'],
      ['Recherche guidée', 'recherche-guidee'],
      ['Dossier', 'dossier'],
      ['Theme', 'theme'],
    ];
    for (const [type, kind] of cases) expect(ficheKindFromType(type, 'F1'), type).toBe(kind);
    expect(ficheKindFromType('Type inconnu', 'N12')).toBe('dossier');
    expect(ficheKindFromType(undefined, 'F12')).toBe('information');
  });

  it('takes the audience from the feed (breadcrumb root) and lists every <Audience>', () => {
    const pro = ficheOf({ feed: 'Professionnels', audiences: ['Particuliers', 'Professionnels'] });
    expect(pro.audience).toBe('professionnels');
    expect(pro.audiences).toEqual(['particuliers', 'professionnels']);
    expect(pro.url).toBe('https://www.service-public.fr/professionnels-entreprises/vosdroits/F9001');
    expect(ficheOf({ feed: 'Associations', audiences: ['Associations'] }).url).toBe(
      'https://www.service-public.fr/associations/vosdroits/F9001',
    );
    // The feed's audience given by the caller only serves files whose breadcrumb does not name one.
    const named = parseDilaEntry('F1.xml', publicationXml({ id: 'F1' }), { audience: 'associations' });
    expect(named.ok && named.item.type === 'fiche' && named.item.fiche.audience).toBe('particuliers');
    const unnamed = parseDilaEntry('F1.xml', publicationXml({ id: 'F1', feed: 'Accueil' }), { audience: 'associations' });
    expect(unnamed.ok && unnamed.item.type === 'fiche' && unnamed.item.fiche.audience).toBe('associations');
  });

  it('sets searchable only for text kinds that have text', () => {
    expect(ficheOf({ body: `<Texte>${P('Réponse.')}</Texte>`, type: 'Fiche Question-réponse' }).searchable).toBe(true);
    expect(ficheOf({ body: '', type: "Fiche d'information" }).searchable).toBe(false);
    expect(ficheOf({ body: `<Introduction><Texte>${P('Outil.')}</Texte></Introduction>`, type: 'Recherche guidée' }).searchable).toBe(false);
    const dossier = ficheOf({ id: 'N358', type: 'Dossier', body: `<Introduction><Texte>${P('Intro du dossier.')}</Texte></Introduction>` });
    expect(dossier.sections).toEqual([{ path: [], text: 'Intro du dossier.' }]);
    expect(dossier.searchable).toBe(false);
  });

  it('reads related questions, online services, contacts and references, deduplicated by id', () => {
    const service = (intro: string): string =>
      `<ServiceEnLigne ID="R45668" URL="https://ants.gouv.fr/pre" type="Téléservice"><Titre>Pré-demande de carte d'identité</Titre>` +
      `<Source ID="R30628">ANTS</Source>${intro}</ServiceEnLigne>`;
    const fiche = ficheOf({
      body:
        `<Texte>${P('Texte.')}${service(`<Introduction><Texte>${P('Accessible avec un compte ANTS')}${P('Se munir de ses identifiants')}</Texte></Introduction>`)}` +
        `<OuSAdresser ID="R2" type="Local personnalisé sur SP"><Titre>Mairie</Titre><RessourceWeb URL="https://lannuaire.fr"/><Source>Ministère de l'intérieur</Source></OuSAdresser>` +
        `<OuSAdresser ID="R3" type="Centre de contact"><Titre>34 00</Titre><Complement>Pour s'informer</Complement><Texte><Chapitre><Titre>${P('Par téléphone')}</Titre>${P('<MiseEnEvidence>34 00</MiseEnEvidence>')}</Chapitre></Texte></OuSAdresser></Texte>` +
        service('') +
        '<ServiceEnLigne ID="R1494" URL="https://cerfa.fr/11796" type="Formulaire" numerocerfa="11796*01"><Titre>Demande</Titre></ServiceEnLigne>' +
        '<ServiceEnLigne ID="R7" type="Modèle de document"><Titre>Modèle de lettre</Titre></ServiceEnLigne>' +
        '<Reference type="Texte de référence" URL="https://legifrance.gouv.fr/1" ID="R743"><Titre>Décret n°55-1397</Titre><Complement>Article 4</Complement></Reference>' +
        '<QuestionReponse ID="F11601" audience="Particuliers">Est-on obligé d\'avoir une carte d\'identité ?</QuestionReponse>' +
        '<QuestionReponse ID="F11601" audience="Particuliers">Doublon</QuestionReponse>',
    });
    expect(fiche.relatedQuestions).toEqual([{ ficheId: 'F11601', question: "Est-on obligé d'avoir une carte d'identité ?" }]);
    expect(fiche.onlineServices).toEqual([
      {
        id: 'R45668',
        title: "Pré-demande de carte d'identité",
        url: 'https://ants.gouv.fr/pre',
        type: 'teleservice',
        institution: 'ANTS',
        description: 'Accessible avec un compte ANTS. Se munir de ses identifiants.',
      },
      { id: 'R1494', title: 'Demande', url: 'https://cerfa.fr/11796', type: 'formulaire', cerfa: '11796*01' },
      // No URL in the fiche: `assembleDilaCorpus` fills it from the R resource.
      { id: 'R7', title: 'Modèle de lettre', url: '', type: 'modele-de-document' },
    ]);
    expect(fiche.contacts).toEqual([
      { id: 'R2', title: 'Mairie', scope: 'local', url: 'https://lannuaire.fr', institution: "Ministère de l'intérieur" },
      { id: 'R3', title: '34 00', scope: 'national', details: "Pour s'informer\nPar téléphone :\n34 00" },
    ]);
    expect(fiche.references).toEqual([{ id: 'R743', title: 'Décret n°55-1397 - Article 4', url: 'https://legifrance.gouv.fr/1' }]);
  });

  it('reads the dossier of a fiche with its groups, and the members of a dossier', () => {
    const fiche = ficheOf({
      body:
        '<DossierPere ID="N358"><Titre>Carte d\'identité</Titre>' +
        '<SousDossier ID="N358-1"><Titre>Pour un majeur</Titre><Fiche ID="F1341">Première demande</Fiche></SousDossier>' +
        '<SousDossier ID="N358-2"><Titre>Pour un mineur</Titre><Fiche ID="F1342">Première demande</Fiche><Fiche ID="F21090">Renouvellement</Fiche></SousDossier>' +
        '</DossierPere>',
    });
    expect(fiche.dossier).toEqual({
      id: 'N358',
      title: "Carte d'identité",
      groups: [
        { title: 'Pour un majeur', fiches: [{ id: 'F1341', title: 'Première demande' }] },
        { title: 'Pour un mineur', fiches: [{ id: 'F1342', title: 'Première demande' }, { id: 'F21090', title: 'Renouvellement' }] },
      ],
    });
    const dossier = ficheOf({ id: 'N31750', type: 'Dossier', title: 'Affiliation', body: '<Fiche ID="F675">Étudiant</Fiche>' });
    expect(dossier.dossier).toEqual({ id: 'N31750', title: 'Affiliation', groups: [{ fiches: [{ id: 'F675', title: 'Étudiant' }] }] });
  });

  it('accepts a missing optional element (no date, description, audience, themes)', () => {
    const xml = publicationXml({ date: null, audiences: [] }).replace(/<Theme .*?<\/Theme>/, '').replace(/<dc:description>.*?<\/dc:description>/, '');
    const result = parseDilaEntry('F9001.xml', xml);
    expect(result.ok).toBe(true);
    if (result.ok && result.item.type === 'fiche') {
      expect(result.item.fiche).toMatchObject({ date: '', description: '', themes: [], audience: 'particuliers', sections: [] });
    }
  });

  it('accepts schema 3.0 and 3.4, and a 3.4 file with elements it does not know', () => {
    expect(ficheOf({ schema: '3.0' }).id).toBe('F9001');
    const fiche = ficheOf({ schema: '3.4', body: `<Nouveaute><Titre>X</Titre></Nouveaute><Texte>${P('Texte.')}</Texte>` });
    expect(fiche.sections).toEqual([{ path: [], text: 'Texte.' }]);
  });

  it('reads the links to other fiches with their anchor text, then « Voir aussi », without self-links or repeats', () => {
    const fiche = ficheOf({
      id: 'F31421',
      body:
        `<Texte>${P('Voir <LienInterne LienPublication="F1344" type="Fiche">carte perdue</LienInterne> et <LienInterne LienPublication="F31421" type="Fiche">ici</LienInterne>')}` +
        `${P('<LienInterne LienPublication="F1344" type="Fiche">carte perdue</LienInterne> <LienInterne LienPublication="R12" type="Fiche">ressource</LienInterne>')}</Texte>` +
        '<VoirAussi important="oui"><Fiche ID="F175" audience="Particuliers"><Titre>Accident du travail</Titre></Fiche></VoirAussi>',
    });
    expect(fiche.links).toEqual([
      { id: 'F1344', title: 'carte perdue' },
      { id: 'F175', title: 'Accident du travail' },
    ]);
  });

  it('rejects an unknown major schema version with schema-unsupported naming the file', () => {
    for (const schema of ['2.1', '9.0']) {
      const error = failureOfFixture({ schema });
      expect(error.code).toBe('schema-unsupported');
      expect(error.message).toContain('F9001.xml');
      expect(error.message).toContain(schema);
      expect(error.file).toBe('F9001.xml');
    }
  });

  it('rejects broken markup with xml-invalid naming the file', () => {
    const error = failureOf('F77.xml', publicationXml().replace('</FilDAriane>', ''));
    expect(error.code).toBe('xml-invalid');
    expect(error.message).toContain('F77.xml');
    expect(failureOf('F78.xml', '').code).toBe('xml-invalid');
    expect(failureOf('F79.xml', '<?xml version="1.0"?><Html><p>x</p></Html>').message).toContain('F79.xml');
  });

  it('rejects a publication without ID or title with xml-invalid', () => {
    const noId = failureOfFixture({ id: null });
    expect(noId.code).toBe('xml-invalid');
    expect(noId.message).toMatch(/identifiant/);
    const noTitle = failureOfFixture({ title: null });
    expect(noTitle.code).toBe('xml-invalid');
    expect(noTitle.message).toMatch(/titre/);
    expect(noTitle.message).toContain('F9001.xml');
  });
});
