import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkFiche } from '../../corpus/chunker.js';
import { CorpusError } from '../../corpus/corpusError.js';
import { htmlSections } from '../../corpus/travail/travailHtml.js';
import { readTravailFiches, travailDate, travailEntryToFiche, TRAVAIL_PACKAGE } from '../../corpus/travail/travailSource.js';
import { PACKAGE_READ_TIMEOUT_MS } from '../support/timeouts.js';

const text = (html: string, base: string[] = []): { path: string; text: string }[] =>
  htmlSections(html, base).map((s) => ({ path: s.path.join(' › '), text: s.text }));

describe('travail-emploi HTML → Markdown', () => {
  it('renders paragraphs, bold, links, entities and line breaks', () => {
    expect(text('<p>Le <strong>délégué </strong>syndical&nbsp;: voir <a href="https://x.fr">la protection</a>.<br>Suite &amp; fin.</p><p>1<sup>er</sup> mai</p>')).toEqual([
      { path: '', text: 'Le **délégué** syndical : voir la protection. Suite & fin.\n\n1er mai' },
    ]);
  });

  it('renders lists, nested lists and ordered lists', () => {
    expect(text('<ul><li>Un<ul><li>Sous-un</li></ul></li><li><p>Deux</p></li></ul><ol><li>Premier</li><li>Second</li></ol>')).toEqual([
      { path: '', text: '- Un\n  - Sous-un\n- Deux\n\n1. Premier\n2. Second' },
    ]);
  });

  it('renders tables with spans and a merged header', () => {
    const html =
      '<div class="fr-table"><table><thead><tr><th rowspan="2">Cas</th><th colspan="2">Durée maximale</th></tr>' +
      '<tr><th>De date à date</th><th>Sans terme</th></tr></thead><tbody><tr><td><div>Remplacement</div></td><td>18 mois</td><td>Fin | absence</td></tr></tbody></table></div>';
    expect(text(html)[0]?.text).toBe(
      '| Cas | Durée maximale – De date à date | Durée maximale – Sans terme |\n| --- | --- | --- |\n| Remplacement | 18 mois | Fin \\| absence |',
    );
  });

  it('turns highlights into callouts and headings into sub-sections', () => {
    const html =
      '<p>Intro.</p><div class="fr-highlight"><h3><strong>À savoir</strong> <strong>! </strong></h3><p>Cumul possible.</p></div>' +
      '<h3>Les conditions</h3><p>Condition A.</p><h4>Cas particulier</h4><p>Détail.</p><h3>La procédure</h3><div class="fr-highlight"><p>Sans titre.</p></div>';
    expect(text(html, ['Section'])).toEqual([
      { path: 'Section', text: 'Intro.\n\n> **À savoir** : Cumul possible.' },
      { path: 'Section › Les conditions', text: 'Condition A.' },
      { path: 'Section › Les conditions › Cas particulier', text: 'Détail.' },
      { path: 'Section › La procédure', text: '> Sans titre.' },
    ]);
  });

  it('drops navigation cards, download sizes and video transcripts', () => {
    const html =
      '<p>Texte.</p><ul class="fr-raw-list"><li><div class="fr-card"><h3 class="fr-card__title"><a href="/x">Autre page</a></h3></div></li></ul>' +
      '<p><a href="/d.pdf">Le décret<span class="fr-link__detail">(PDF - 339 Ko)</span></a></p><img src="x.png">' +
      '<section class="fr-accordion"><h3 class="fr-accordion__title"><button>Lire la retranscription textuelle</button></h3><div class="fr-collapse"><p>Bonjour, c\'est Honorine.</p></div></section>';
    expect(text(html)).toEqual([{ path: '', text: 'Texte.\n\nLe décret' }]);
  });

  it('reports broken HTML as xml-invalid naming the fiche', () => {
    expect(() => htmlSections('<p>ouvert <strong>jamais fermé</p>', [], 'article42')).toThrowError(CorpusError);
    try {
      htmlSections('<p><b>x</p>', [], 'article42');
    } catch (error) {
      expect((error as CorpusError).code).toBe('xml-invalid');
      expect((error as CorpusError).message).toContain('article42');
    }
  });
});

describe('travail-emploi fiches', () => {
  it('converts an entry: id, dates, sections, practical links, references, navigation dropped', () => {
    const fiche = travailEntryToFiche({
      pubId: 'article375542',
      title: 'Les délégués syndicaux',
      description: 'Chaque syndicat représentatif…',
      date: '13/11/2025',
      intro: '<p>Chaque syndicat <strong>représentatif</strong> peut désigner un délégué.</p>',
      url: 'https://travail-emploi.gouv.fr/les-delegues-syndicaux',
      sections: [
        { title: 'Qui peut être désigné ?', html: '<p>Un salarié de 18 ans.</p>' },
        { title: 'Textes de référence', html: '<ul><li><a href="https://legifrance.gouv.fr/a">Articles L. 2143-1 à L. 2143-22</a> du Code du travail</li></ul>' },
        { title: 'Services en ligne', html: '<ul><li><a href="https://code.travail.gouv.fr/outils/indemnite">Simulateur d\'indemnité</a></li></ul>' },
        { title: 'À lire sur ce site', html: '<ul><li><a href="https://travail-emploi.gouv.fr/x">Autre</a></li></ul>' },
      ],
    });
    expect(fiche).toMatchObject({
      id: 'T:article375542',
      source: 'travail-emploi',
      audience: 'particuliers',
      kind: 'fiche-travail',
      date: '2025-11-13',
      url: 'https://travail-emploi.gouv.fr/les-delegues-syndicaux',
      relatedQuestions: [],
      searchable: true,
    });
    expect(fiche.sections).toEqual([
      { path: [], text: 'Chaque syndicat **représentatif** peut désigner un délégué.' },
      { path: ['Qui peut être désigné ?'], text: 'Un salarié de 18 ans.' },
    ]);
    expect(fiche.references).toEqual([{ title: 'Articles L. 2143-1 à L. 2143-22 du Code du travail', url: 'https://legifrance.gouv.fr/a' }]);
    expect(fiche.onlineServices).toEqual([
      {
        id: 'https://code.travail.gouv.fr/outils/indemnite',
        title: "Simulateur d'indemnité",
        url: 'https://code.travail.gouv.fr/outils/indemnite',
        type: 'simulateur',
        institution: 'code.travail.gouv.fr',
      },
    ]);
  });

  it('parses French dates', () => {
    expect(travailDate('13/11/2025')).toBe('2025-11-13');
    expect(travailDate('2025-01-02T00:00')).toBe('2025-01-02');
    expect(travailDate('bientôt')).toBe('');
  });

  it('reads the installed package: 269 searchable fiches that chunk within bounds', async () => {
    const { fiches, origin, failures } = await readTravailFiches();
    expect(origin).toMatch(new RegExp(`^${TRAVAIL_PACKAGE}@\\d`));
    expect(failures).toEqual([]);
    expect(fiches).toHaveLength(269);
    expect(new Set(fiches.map((f) => f.id)).size).toBe(269);
    for (const fiche of fiches) {
      expect(fiche.id).toMatch(/^T:/);
      expect(fiche.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(fiche.url).toMatch(/^https:\/\/travail-emploi\.gouv\.fr\//);
      expect(fiche.searchable).toBe(true);
      expect(fiche.sections.every((s) => !/<[a-z]+[ >]/.test(s.text))).toBe(true);
    }
    const periode = fiches.find((f) => f.url.endsWith('/la-periode-dessai'));
    expect(periode?.sections.some((s) => s.path.includes("Les possibilités de réduire la période d’essai"))).toBe(true);
    const chunks = fiches.flatMap((f) => chunkFiche(f));
    expect(Math.max(...chunks.map((c) => c.tokenEstimate))).toBeLessThanOrEqual(450);
  }, PACKAGE_READ_TIMEOUT_MS);

  it('reads a given file and reports malformed entries without stopping', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-travail-'));
    try {
      const file = join(dir, 'fiches.json');
      await writeFile(file, JSON.stringify([{ pubId: 'a1', title: 'Titre', url: 'https://travail-emploi.gouv.fr/a1', intro: '<p>Texte.</p>' }, { title: 'Sans URL' }]));
      const result = await readTravailFiches(file);
      expect(result.origin).toBe(file);
      expect(result.fiches.map((f) => f.id)).toEqual(['T:a1']);
      expect(result.failures.map((f) => f.code)).toEqual(['xml-invalid']);
      await writeFile(file, '{ pas du json');
      await expect(readTravailFiches(file)).rejects.toMatchObject({ code: 'xml-invalid' });
      await expect(readTravailFiches(join(dir, 'absent.json'))).rejects.toMatchObject({ code: 'feed-not-found' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
