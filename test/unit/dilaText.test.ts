import { describe, expect, it } from 'vitest';
import { sectionsOf } from '../support/dilaXml.js';

const P = (text: string): string => `<Paragraphe>${text}</Paragraphe>`;
const texte = (inner: string): string => `<Texte>${inner}</Texte>`;
const chapitre = (title: string, inner: string): string => `<Chapitre><Titre>${P(title)}</Titre>${inner}</Chapitre>`;

describe('DILA text → Markdown', () => {
  it('separates paragraphs by blank lines and normalises whitespace', () => {
    const [section] = sectionsOf(texte(P('  Première   phrase.\n\n Suite  ') + P('Deuxième paragraphe.')));
    expect(section).toEqual({ path: '', text: 'Première phrase. Suite\n\nDeuxième paragraphe.' });
  });

  it('renders inline markup: emphasis, expressions, superscripts, links, values, variables', () => {
    const [section] = sectionsOf(
      texte(
        P(
          'Le 1<Exposant>er</Exposant> janvier, payez <Valeur>1 500,50 €</Valeur> <MiseEnEvidence>avant  la date</MiseEnEvidence> ' +
            'avec la mention <Expression>le père</Expression>, voir <LienInterne LienPublication="F1" type="Fiche">cette fiche</LienInterne>' +
            '\n\n. Émis par le <LienIntra LienID="R1">CO<Indice>2</Indice></LienIntra> à <Variable>lieu</Variable>.',
        ),
      ),
    );
    expect(section?.text).toBe(
      'Le 1er janvier, payez 1 500,50 € **avant la date** avec la mention « le père », voir cette fiche. Émis par le CO2 à [lieu].',
    );
  });

  it('puts back the space the feeds sometimes leave out after an ordinal, and only there', () => {
    const [section] = sectionsOf(texte(P("L'année de la 1<Exposant>re</Exposant>immatriculation, la 4<Exposant>è </Exposant>classe, le CO<Indice>2</Indice>, la 1<Exposant>èr</Exposant>e fois.")));
    expect(section?.text).toBe("L'année de la 1re immatriculation, la 4è classe, le CO2, la 1ère fois.");
  });

  it('sets a quoted expression against an elided article, without a space', () => {
    const [section] = sectionsOf(texte(P("Dissolutions d'<Expression>associations loi 1901</Expression>, l’<Expression>État</Expression> et <Expression>le fonds</Expression>.")));
    expect(section?.text).toBe("Dissolutions d'« associations loi 1901 », l’« État » et « le fonds ».");
  });

  it('ignores conditions and logic elements', () => {
    const [section] = sectionsOf(texte(`<FragmentConditionne><Condition><estVrai var="T1"/></Condition>${P('Texte conditionné.')}</FragmentConditionne>`));
    expect(section?.text).toBe('Texte conditionné.');
  });

  it('renders bulleted, numbered and nested lists', () => {
    const [section] = sectionsOf(
      texte(
        '<Liste type="puce"><Item>' + P('Un') + '<Liste type="numero"><Item>' + P('Sous-un') + '</Item><Item>' + P('Sous-deux') +
          '</Item></Liste></Item><Item>' + P('Deux') + P('suite de deux') + '</Item></Liste>' +
          '<Liste type="numero"><Item>' + P('Premier') + '</Item><Item>' + P('Second') + '</Item></Liste>',
      ),
    );
    expect(section?.text).toBe('- Un\n  1. Sous-un\n  2. Sous-deux\n- Deux suite de deux\n\n1. Premier\n2. Second');
  });

  it('renders a table with its title, a header row, escaped pipes and spans repeated', () => {
    const cell = (t: string, attrs = ''): string => `<Cellule${attrs}>${P(t)}</Cellule>`;
    const [section] = sectionsOf(
      texte(
        '<Tableau><Titre>Taux</Titre><Colonne largeur="50" type="normal"/>' +
          `<Rangée type="header">${cell('Durée', ' fusionVerticale="2"')}${cell('Taux', ' fusionHorizontale="2"')}</Rangée>` +
          `<Rangée type="header">${cell('IR')}${cell('PS')}</Rangée>` +
          `<Rangée type="normal">${cell('Moins de 6 ans')}${cell('<Valeur>0 %</Valeur>')}${cell('a | b')}</Rangée>` +
          `<Rangée type="normal">${cell('Au-delà')}${cell('Exonération', ' fusionHorizontale="2"')}</Rangée>` +
          '</Tableau>',
      ),
    );
    expect(section?.text).toBe(
      '**Taux**\n\n| Durée | Taux – IR | Taux – PS |\n| --- | --- | --- |\n| Moins de 6 ans | 0 % | a \\| b |\n| Au-delà | Exonération | Exonération |',
    );
  });

  it('takes the first row as header when no row is marked, and keeps a lone header rowspan in the header', () => {
    const row = (type: string, a: string, b: string, span = ''): string =>
      `<Rangée type="${type}"><Cellule${span}>${P(a)}</Cellule><Cellule${span}>${P(b)}</Cellule></Rangée>`;
    const [plain] = sectionsOf(texte(`<Tableau>${row('normal', 'A', 'B')}${row('normal', '1', '2')}</Tableau>`));
    expect(plain?.text).toBe('| A | B |\n| --- | --- |\n| 1 | 2 |');
    const [spanned] = sectionsOf(texte(`<Tableau>${row('header', 'A', 'B', ' fusionVerticale="2"')}${row('normal', '1', '2')}</Tableau>`));
    expect(spanned?.text).toBe('| A | B |\n| --- | --- |\n| 1 | 2 |');
  });

  it('renders callouts with their default or own title', () => {
    const [section] = sectionsOf(
      texte(
        `<ANoter><Titre>À noter</Titre>${P('la démarche est gratuite.')}</ANoter>` +
          `<Attention>${P('délai de 2 mois.')}</Attention>` +
          `<ASavoir><Titre>Sanction</Titre>${P('amende de <Valeur>45 000 €</Valeur>.')}<Liste type="puce"><Item>${P('cas 1')}</Item></Liste></ASavoir>`,
      ),
    );
    expect(section?.text).toBe(
      '> **À noter** : la démarche est gratuite.\n\n> **Attention** : délai de 2 mois.\n\n> **Sanction** : amende de 45 000 €.\n>\n> - cas 1',
    );
  });

  it('builds section paths from situations, chapters, sub-chapters and cases', () => {
    const sections = sectionsOf(
      '<Introduction><Texte>' + P('Introduction.') + '</Texte></Introduction>' +
        '<ListeSituations><Situation><Titre>En France</Titre><Texte>' +
        chapitre(
          'Démarche',
          P('Avant les cas.') +
            '<BlocCas><Cas><Titre>Entre 0 et 12 ans</Titre>' + P('Petit.') + '</Cas><Cas><Titre>Après 12 ans</Titre>' + P('Grand.') + '</Cas></BlocCas>' +
            `<SousChapitre><Titre>${P('Détail')}</Titre>${P('Détail du détail.')}</SousChapitre>` +
            P('Après les cas.'),
        ) +
        '</Texte></Situation></ListeSituations>',
    );
    expect(sections).toEqual([
      { path: '', text: 'Introduction.' },
      { path: 'En France › Démarche', text: 'Avant les cas.' },
      { path: 'En France › Démarche › Entre 0 et 12 ans', text: 'Petit.' },
      { path: 'En France › Démarche › Après 12 ans', text: 'Grand.' },
      { path: 'En France › Démarche › Détail', text: 'Détail du détail.' },
      { path: 'En France › Démarche', text: 'Après les cas.' },
    ]);
  });

  it('reduces in-text practical boxes to one line', () => {
    const [section] = sectionsOf(
      texte(
        '<ServiceEnLigne ID="R1" URL="https://x.fr" type="Téléservice"><Titre>Pré-demande</Titre><Source>ANTS</Source></ServiceEnLigne>' +
          '<OuSAdresser ID="R2" type="Local"><Titre>Mairie</Titre><PivotLocal>mairie</PivotLocal></OuSAdresser>',
      ),
    );
    expect(section?.text).toBe("Téléservice : Pré-demande\n\nOù s'adresser : Mairie");
  });

  it('keeps glossary definitions and abbreviations in a closing section', () => {
    const sections = sectionsOf(
      texte(P('Le <LienIntra LienID="R1">bénévole</LienIntra> agit.')) +
        `<Definition ID="R1"><Titre>Bénévole</Titre><Texte>${P('Personne qui agit sans être payée.')}</Texte></Definition>` +
        `<Abreviation ID="R2" type="Acronyme"><Titre>JOAFE</Titre><Texte>${P('Journal officiel des associations')}</Texte></Abreviation>`,
    );
    expect(sections[1]).toEqual({
      path: 'Définitions',
      text: '- **Bénévole** : Personne qui agit sans être payée.\n- **JOAFE** : Journal officiel des associations',
    });
  });

  it('keeps the text of unknown elements (a later schema) instead of failing', () => {
    const [section] = sectionsOf(texte(`<NouveauBloc type="x">${P('Texte nouveau.')}</NouveauBloc><Encart>Texte libre.</Encart>`));
    expect(section?.text).toBe('Texte nouveau.\n\nTexte libre.');
  });
});
