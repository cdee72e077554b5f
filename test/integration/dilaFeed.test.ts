/**
 * The real DILA feeds of 2020-11-12 (../shared/corpus/dila), read, assembled and chunked end to end.
 * A missing feed fails the tests (sharedFile throws): it is never a skip.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkFiche } from '../../corpus/chunker.js';
import { CorpusError } from '../../corpus/corpusError.js';
import { importDilaFeeds, type DilaImport } from '../../corpus/dila/dilaFeed.js';
import { readFeed } from '../../corpus/dila/feedReader.js';
import type { Chunk, Fiche } from '../../corpus/fiche.js';
import { DILA_FEEDS, sharedFile } from '../support/sharedData.js';

let corpus: DilaImport;
let chunks: Map<string, Chunk[]>;
let dir: string;

function fiche(id: string): Fiche {
  const found = corpus.fiches.find((f) => f.id === id);
  if (found === undefined) throw new Error(`fiche ${id} absente du corpus`);
  return found;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guichet-dila-feed-'));
  corpus = await importDilaFeeds([
    { path: sharedFile(DILA_FEEDS.particuliers) },
    { path: sharedFile(DILA_FEEDS.professionnels) },
    { path: sharedFile(DILA_FEEDS.associations) },
  ]);
  chunks = new Map(corpus.fiches.filter((f) => f.searchable).map((f) => [f.id, chunkFiche(f)]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the three real feeds', () => {
  it('reads every file without failure, and counts fiches per audience and kind', () => {
    expect(corpus.filesRead).toBe(4873 + 2477 + 241);
    expect(corpus.failures).toEqual([]);
    expect(corpus.duplicateFiches).toBe(127);
    const counts: Record<string, Record<string, number>> = {};
    for (const f of corpus.fiches) (counts[f.audience] ??= {})[f.kind] = (counts[f.audience]?.[f.kind] ?? 0) + 1;
    expect(counts).toEqual({
      particuliers: { information: 1437, 'question-reponse': 1429, 'liens-externes': 43, 'comment-faire-si': 17, 'recherche-guidee': 54, dossier: 223, theme: 10 },
      professionnels: { information: 379, 'question-reponse': 183, 'liens-externes': 21, 'comment-faire-si': 6, dossier: 73, theme: 6 },
      associations: { information: 43, 'question-reponse': 42, 'comment-faire-si': 2, 'liens-externes': 1, dossier: 11, theme: 4 },
    });
    expect(corpus.fiches.filter((f) => f.searchable)).toHaveLength(3603);
    expect(corpus.onlineServices).toHaveLength(3196);
  });

  it('reads F1342 field by field', () => {
    const f = fiche('F1342');
    expect(f).toMatchObject({
      source: 'dila',
      audience: 'particuliers',
      kind: 'information',
      title: "Carte d'identité d'un mineur : première demande",
      date: '2020-07-21',
      url: 'https://www.service-public.fr/particuliers/vosdroits/F1342',
      themes: ['Papiers - Citoyenneté'],
      searchable: true,
    });
    expect(f.description).toMatch(/^Pour faire la carte d'identité d'un enfant mineur/);
    expect(f.breadcrumb.map((b) => b.id)).toEqual(['Particuliers', 'N19810', 'N358', 'F1342']);
    expect(f.relatedQuestions).toContainEqual({ ficheId: 'F11601', question: "Est-on obligé d'avoir une carte d'identité ?" });
    expect(new Set(f.relatedQuestions.map((q) => q.ficheId)).size).toBe(f.relatedQuestions.length);
    expect(f.onlineServices.find((s) => s.id === 'R45668')).toEqual({
      id: 'R45668',
      title: "Pré-demande de carte d'identité",
      url: 'https://passeport.ants.gouv.fr/Vos-demarches/Realiser-une-pre-demande-de-carte-nationale-d-identite-CNI',
      type: 'teleservice',
      institution: 'Agence nationale des titres sécurisés (ANTS)',
      description: 'Accessible avec un compte ANTS ou via FranceConnect. Se munir de ses identifiants.',
    });
    expect(new Set(f.onlineServices.map((s) => s.id)).size).toBe(f.onlineServices.length);
    expect(f.dossier?.id).toBe('N358');
    expect(f.dossier?.groups.map((g) => g.title)).toEqual(['Pour un majeur', 'Pour un mineur']);
    expect(f.dossier?.groups[1]?.fiches[0]).toEqual({ id: 'F1342', title: 'Première demande' });
    expect(f.contacts.find((c) => c.id === 'R45972')).toMatchObject({ title: "Mairie délivrant des cartes d'identité", scope: 'local' });
    expect(f.references[0]?.url).toMatch(/^https:\/\/www\.legifrance\.gouv\.fr\//);
    const cas = f.sections.find((s) => s.path.includes('Entre 0 et 12 ans'));
    expect(cas?.path).toEqual(['Demande en France', 'Où et comment faire la demande ?', 'Entre 0 et 12 ans']);
    expect(cas?.text).toBe('Le responsable signe le talon photo accompagné de la mention « le père », « la mère » ou « le tuteur ».');
  });

  it('renders a Tableau as a Markdown table (F10864)', () => {
    const text = fiche('F10864').sections.map((s) => s.text).join('\n\n');
    expect(text).toContain(
      '**Taux d\'abattement pour la vente d\'un bien immobilier**\n\n' +
        "| Durée de détention | Taux d'abattement par année de détention – Assiette pour l'impôt sur le revenu | " +
        "Taux d'abattement par année de détention – Assiette pour les prélèvements sociaux |\n| --- | --- | --- |\n" +
        '| Moins de 6 ans | 0 % | 0 % |\n| De la 6e à la 21e année | 6 % | 1,65 % |',
    );
  });

  it('reads a Question-réponse fiche (F11601)', () => {
    const f = fiche('F11601');
    expect(f).toMatchObject({ kind: 'question-reponse', title: "Est-il obligatoire d'avoir une carte d'identité ?", searchable: true });
    expect(f.sections[0]?.path).toEqual([]);
    expect(f.sections[0]?.text).toMatch(/^Non, aucun texte ne vous oblige à demander une carte d'identité\./);
  });

  it('keeps a Recherche guidée for navigation, not for search (F34300)', () => {
    expect(fiche('F34300')).toMatchObject({ kind: 'recherche-guidee', searchable: false });
    expect(chunks.has('F34300')).toBe(false);
  });

  it('reads an R resource into the practical links (R1494, a formulaire)', () => {
    expect(corpus.onlineServices.find((s) => s.id === 'R1494')).toMatchObject({
      title: "Demande de médaille d'honneur du travail",
      url: 'https://www.formulaires.service-public.fr/gf/cerfa_11796.do',
      type: 'formulaire',
      cerfa: '11796*01',
    });
  });

  it('reads a professionnels fiche and an associations fiche, and lists shared audiences', () => {
    expect(fiche('F23107')).toMatchObject({ audience: 'professionnels', url: 'https://www.service-public.fr/professionnels-entreprises/vosdroits/F23107' });
    const asso = fiche('F1121');
    expect(asso).toMatchObject({ audience: 'associations', kind: 'information', title: "Instances dirigeantes d'une association" });
    expect(asso.sections.at(-1)?.path).toEqual(['Définitions']);
    expect(fiche('F10403').audiences).toEqual(['particuliers', 'professionnels']);
    expect(fiche('N358')).toMatchObject({ kind: 'dossier', searchable: false });
    expect(fiche('N358').dossier?.groups.map((g) => g.title)).toEqual(['Pour un majeur', 'Pour un mineur']);
  });
});

describe('chunks of the real corpus', () => {
  it('stay within the size bounds, with correct ids and paths', () => {
    let count = 0;
    for (const [id, list] of chunks) {
      const f = fiche(id);
      list.forEach((c, i) => {
        count += 1;
        expect(c.id).toBe(`${id}#${i}`);
        expect(c.tokenEstimate).toBeLessThanOrEqual(450);
        expect(c.tokenEstimate).toBeGreaterThan(0);
        // A chunk's path is the path of one of its sections, or a common parent of several.
        expect(f.sections.some((s) => c.sectionPath.every((t, k) => s.path[k] === t)) || c.sectionPath.length === 0).toBe(true);
      });
    }
    expect(count).toBeGreaterThan(15000);
  });

  it('never end in the middle of a sentence, list item or table row', () => {
    const bad: string[] = [];
    for (const [id, list] of chunks) {
      const f = fiche(id);
      const source = [f.description, ...f.sections.map((s) => s.text)].join('\n\n');
      for (const c of list) {
        // The last block (a merged chunk adds section titles between blocks, absent from the source).
        const tail = (c.text.split('\n\n').at(-1) ?? '').slice(-50);
        let ok = false;
        for (let at = source.indexOf(tail); at !== -1 && !ok; at = source.indexOf(tail, at + 1)) {
          const after = source.slice(at + tail.length, at + tail.length + 3);
          ok = after === '' || after.startsWith('\n') || (/^\s/.test(after) && /[.!?…:»")]$/.test(tail));
        }
        if (!ok) bad.push(`${c.id}: …${tail}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('rarely end with a lead-in (a bold title, « … suivants : ») cut from what it introduces', () => {
    const all = [...chunks.values()].flat();
    const leadIns = all.filter((c) => {
      const last = c.text.split('\n\n').at(-1) ?? '';
      return /^\*\*[^*\n]+\*\*$/.test(last) || (/:$/.test(last) && !last.includes('\n'));
    });
    expect(leadIns.length / all.length).toBeLessThan(0.005);
  });

  it('are deterministic', () => {
    expect(chunkFiche(fiche('F1342'))).toEqual(chunks.get('F1342'));
  });
});

describe('bad feeds', () => {
  it('reports a zip cut half-way as feed-truncated, naming it', async () => {
    const bytes = await readFile(sharedFile(DILA_FEEDS.associations));
    const path = join(dir, 'vosdroits-asso-moitie.zip');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(importDilaFeeds([{ path }])).rejects.toSatisfy(
      (e: unknown) => e instanceof CorpusError && e.code === 'feed-truncated' && e.message.includes('vosdroits-asso-moitie.zip'),
    );
  });

  it('reports a file that is no zip, a missing path and an empty folder', async () => {
    const notZip = join(dir, 'pas-un-zip.zip');
    await writeFile(notZip, 'Erreur 503 : service indisponible');
    await expect(importDilaFeeds([{ path: notZip }])).rejects.toMatchObject({ code: 'feed-not-zip', file: notZip });
    await expect(importDilaFeeds([{ path: join(dir, 'absent.zip') }])).rejects.toMatchObject({ code: 'feed-not-found' });
    const empty = join(dir, 'vide');
    await mkdir(empty);
    await expect(importDilaFeeds([{ path: empty }])).rejects.toMatchObject({ code: 'feed-empty' });
  });

  it('counts broken files of a folder feed and imports the others', async () => {
    const real = new Map<string, string>();
    for await (const entry of readFeed(sharedFile(DILA_FEEDS.particuliers))) {
      if (['F1342.xml', 'F11601.xml', 'F10.xml', 'F10864.xml', 'R45668.xml'].includes(entry.name)) real.set(entry.name, entry.xml);
    }
    const folder = join(dir, 'flux');
    await mkdir(folder);
    const xml = (name: string): string => real.get(name) ?? '';
    await writeFile(join(folder, 'F1342.xml'), xml('F1342.xml'));
    await writeFile(join(folder, 'R45668.xml'), xml('R45668.xml'));
    await writeFile(join(folder, 'F11601.xml'), xml('F11601.xml').slice(0, 2000));
    await writeFile(join(folder, 'F10.xml'), xml('F10.xml').replace(/<dc:title>.*?<\/dc:title>/, ''));
    await writeFile(join(folder, 'F10864.xml'), xml('F10864.xml').replace('Schemas/3.3/', 'Schemas/9.0/'));
    const result = await importDilaFeeds([{ path: folder }]);
    expect(result.fiches.map((f) => f.id)).toEqual(['F1342']);
    expect(result.fiches[0]?.onlineServices.find((s) => s.id === 'R45668')?.url).toMatch(/^https:\/\/passeport\.ants\.gouv\.fr\//);
    const failures = result.failures.map((e) => [e.code, e.file, e.message.includes(e.file ?? '?')]);
    expect(failures).toEqual([
      ['xml-invalid', 'F10.xml', true],
      ['schema-unsupported', 'F10864.xml', true],
      ['xml-invalid', 'F11601.xml', true],
    ]);
  });
});
