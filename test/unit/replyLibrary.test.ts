import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplyLibrary, type NewReplyEntry } from '../../assistant/replies/replyLibrary.js';

/** Makes the next `rename` fail, to simulate a crash or a full disk between writing the temp file and swapping it in. */
const renameControl = vi.hoisted(() => ({ failNext: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string): Promise<void> => {
      if (renameControl.failNext) {
        renameControl.failNext = false;
        throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
      }
      return actual.rename(from, to);
    },
  };
});

const maskEmails = (text: string): string => text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[E-MAIL]');

let dataDir: string;
let library: ReplyLibrary;
let clock: number;

const caf: NewReplyEntry = {
  institution: 'CAF de la Gironde',
  tone: 'chaleureux',
  testimony: "J'attends le versement de ma prime d'activité depuis trois mois, personne ne répond au téléphone.",
  reply: 'Bonjour, merci pour votre témoignage. Nous comprenons votre attente… Le service CAF de la Gironde',
  tags: ['prime d’activité', 'délais', 'Délais'],
};

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'guichet-replies-'));
  clock = Date.parse('2026-11-17T09:00:00.000Z');
  library = new ReplyLibrary({ dataDir, redact: maskEmails, now: () => new Date((clock += 1000)) });
});

describe('ReplyLibrary', () => {
  it('adds, reads, lists, updates and deletes entries, and a new instance sees them', async () => {
    const added = await library.add(caf);
    expect(added).toMatchObject({ institution: 'CAF de la Gironde', tone: 'chaleureux', uses: 0, tags: ['prime d’activité', 'délais'] });
    expect(added.createdAt).toBe(added.updatedAt);
    const other = await library.add({ institution: 'Préfecture du Rhône', testimony: 'Titre de séjour bloqué', reply: 'Bonjour… Le service Préfecture du Rhône' });

    const reopened = new ReplyLibrary({ dataDir, redact: maskEmails });
    expect(await reopened.get(added.id)).toEqual(added);
    expect((await reopened.list()).map((e) => e.id)).toEqual([other.id, added.id]);
    expect((await reopened.list({ institution: 'caf de la  GIRONDE' })).map((e) => e.id)).toEqual([added.id]);
    expect((await reopened.list({ query: 'prime activite' })).map((e) => e.id)).toEqual([added.id]);
    expect(await reopened.list({ query: 'titre séjour', institution: 'CAF de la Gironde' })).toEqual([]);

    const updated = await library.update(added.id, { reply: 'Nouvelle réponse, écrire à agent@caf.fr', tags: ['versement'] });
    expect(updated.reply).toBe('Nouvelle réponse, écrire à [E-MAIL]');
    expect(updated.tags).toEqual(['versement']);
    expect(updated.updatedAt > added.updatedAt).toBe(true);
    expect(updated.createdAt).toBe(added.createdAt);

    await library.delete(added.id);
    await expect(library.get(added.id)).rejects.toMatchObject({ name: 'ReplyError', code: 'reply-not-found' });
    await expect(library.delete(added.id)).rejects.toMatchObject({ code: 'reply-not-found' });
    expect((await reopened.list()).map((e) => e.id)).toEqual([other.id]);
  });

  it('refuses invalid entries and patches with a French error, writing nothing', async () => {
    await expect(library.add({ ...caf, reply: '   ' })).rejects.toMatchObject({ code: 'reply-entry-invalid', message: expect.stringMatching(/obligatoires/) });
    const entry = await library.add(caf);
    await expect(library.update(entry.id, { uses: 99 } as never)).rejects.toMatchObject({ code: 'reply-entry-invalid' });
    expect((await library.get(entry.id)).uses).toBe(0);
  });

  it('masks testimonies and replies before storing them, and keeps a testimony summary of at most 500 characters', async () => {
    const long = `Mon courriel est jean.dupont@example.fr. ${'Le dossier est bloqué depuis des semaines. '.repeat(30)}`;
    const entry = await library.add({ ...caf, testimony: long, reply: 'Écrivez-nous à contact@caf.fr. Le service CAF' });
    expect(entry.testimony.length).toBeLessThanOrEqual(500);
    expect(entry.testimony).toMatch(/^Mon courriel est \[E-MAIL\]\. Le dossier/);
    expect(entry.testimony.endsWith('…')).toBe(true);
    expect(entry.reply).toBe('Écrivez-nous à [E-MAIL]. Le service CAF');
    const raw = await readFile(library.path, 'utf8');
    expect(raw).not.toMatch(/example\.fr|contact@caf/);
  });

  it('writes atomically: a failed swap leaves the previous library intact and no temporary file', async () => {
    await library.add(caf);
    const before = await readFile(library.path, 'utf8');
    expect(JSON.parse(before)).toMatchObject({ format: 'guichet-replies', version: 1 });
    renameControl.failNext = true;
    await expect(library.add({ ...caf, reply: 'Une autre réponse. Le service CAF' })).rejects.toMatchObject({
      code: 'reply-library-unwritable',
      message: expect.stringMatching(/Impossible d'enregistrer/),
    });
    expect(await readFile(library.path, 'utf8')).toBe(before);
    expect(await readdir(join(dataDir, 'replies'))).toEqual(['library.json']);
    expect(await library.list()).toHaveLength(1);
  });

  it('sets a corrupt file aside, starts empty and says so', async () => {
    await mkdir(join(dataDir, 'replies'), { recursive: true });
    await writeFile(library.path, '{"version": 1, "entries": [tronqué');
    expect(await library.list()).toEqual([]);
    const info = await library.info();
    expect(info.count).toBe(0);
    expect(info.warning).toMatch(/illisible.*mise de côté.*library\.json\.corrupt-2026-11-17T09-00-0\d-000Z/);
    const files = await readdir(join(dataDir, 'replies'));
    const aside = files.find((f) => f.startsWith('library.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(dataDir, 'replies', aside ?? ''), 'utf8')).toBe('{"version": 1, "entries": [tronqué');
    await library.add(caf);
    expect(await library.list()).toHaveLength(1);
    expect(await readdir(join(dataDir, 'replies'))).toContain(aside);
  });

  it('treats a file of the wrong shape as corrupt too', async () => {
    await mkdir(join(dataDir, 'replies'), { recursive: true });
    await writeFile(library.path, JSON.stringify({ version: 1, entries: [{ id: 'x' }] }));
    expect(await library.list()).toEqual([]);
    expect((await library.info()).warning).toMatch(/entries\.0/);
  });
});

describe('ReplyLibrary import and export', () => {
  it('merges an export: new ids added, newer versions replace, older ones are kept', async () => {
    const source = new ReplyLibrary({ dataDir: await mkdtemp(join(tmpdir(), 'guichet-replies-src-')), redact: (t) => t, now: () => new Date((clock += 1000)) });
    const a = await source.add({ ...caf, reply: 'Réponse A, écrire à a@b.fr' });
    await source.add({ ...caf, reply: 'Réponse B' });
    const mine = await library.add({ ...caf, reply: 'Réponse locale' });

    const first = await library.importJson(await source.exportJson(), { mode: 'merge' });
    expect(first).toEqual({ added: 2, updated: 0, unchanged: 0, removed: 0, total: 3 });
    expect((await library.get(a.id)).reply).toBe('Réponse A, écrire à [E-MAIL]');
    expect(await library.importJson(await source.exportJson(), { mode: 'merge' })).toMatchObject({ added: 0, unchanged: 2, total: 3 });

    await source.update(a.id, { reply: 'Réponse A corrigée' });
    expect(await library.importJson(await source.exportJson(), { mode: 'merge' })).toMatchObject({ updated: 1, unchanged: 1 });
    expect((await library.get(a.id)).reply).toBe('Réponse A corrigée');
    expect((await library.get(mine.id)).reply).toBe('Réponse locale');
  });

  it('replaces the library with an import, and accepts a bare array of entries', async () => {
    const mine = await library.add(caf);
    const exported = JSON.parse(await library.exportJson()) as { entries: { id: string }[] };
    await library.add({ ...caf, reply: 'Une deuxième' });
    const report = await library.importJson(JSON.stringify(exported.entries), { mode: 'replace' });
    expect(report).toEqual({ added: 0, updated: 0, unchanged: 1, removed: 1, total: 1 });
    expect((await library.list()).map((e) => e.id)).toEqual([mine.id]);
  });

  it('refuses a bad file with a French error and leaves the library unchanged', async () => {
    await library.add(caf);
    const before = await readFile(library.path, 'utf8');
    await expect(library.importJson('pas du json', { mode: 'replace' })).rejects.toMatchObject({
      name: 'ReplyError',
      code: 'reply-import-invalid',
      message: expect.stringMatching(/JSON valide.*pas été modifiée/),
    });
    const missingReply = JSON.stringify({ version: 1, entries: [{ id: 'r-1', institution: 'CAF', testimony: 't', tags: [], createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', uses: 0 }] });
    await expect(library.importJson(missingReply, { mode: 'merge' })).rejects.toMatchObject({
      code: 'reply-import-invalid',
      message: expect.stringMatching(/entrée 1, champ reply/),
    });
    await expect(library.importJson('{"version": 2, "entries": []}', { mode: 'replace' })).rejects.toMatchObject({ code: 'reply-import-invalid' });
    expect(await readFile(library.path, 'utf8')).toBe(before);
  });
});

describe('ReplyLibrary.similar', () => {
  it('prefers replies of the same institution, then the closest testimonies', async () => {
    const otherClose = await library.add({
      institution: 'CAF du Rhône',
      testimony: "Versement de la prime d'activité en retard depuis trois mois",
      reply: 'Réponse du Rhône',
    });
    const sameClose = await library.add({ ...caf, testimony: "Ma prime d'activité n'est pas versée, retard de deux mois", reply: 'Réponse Gironde 1' });
    const sameFar = await library.add({ ...caf, testimony: 'Accueil désagréable au guichet ce matin', reply: 'Réponse Gironde 2' });
    await library.add({ institution: 'Préfecture du Nord', testimony: 'Rendez-vous impossible pour mon titre de séjour', reply: 'Réponse Nord' });

    // The Rhône testimony shares more words with the question, but the Gironde one is from the same institution.
    const found = await library.similar("Retard du versement de ma prime d'activité, que faire ?", 'CAF de la Gironde');
    expect(found.map((f) => f.entry.id)).toEqual([sameClose.id, otherClose.id]);
    // An unrelated reply of the same institution still comes before other institutions' unrelated ones.
    const three = await library.similar("Retard du versement de ma prime d'activité", 'caf de la gironde', 4);
    expect(three.map((f) => f.entry.id)).toEqual([sameClose.id, otherClose.id, sameFar.id]);
    // Another institution's close reply beats an unrelated one from a third institution.
    const elsewhere = await library.similar("prime d'activité pas versée", 'Mairie de Lille', 1);
    expect(elsewhere.map((f) => f.entry.id)).toEqual([sameClose.id]);
  });

  it('folds accents and ignores stop words and courtesy formulas', async () => {
    const entry = await library.add({ institution: 'CPAM', testimony: 'Remboursement des lunettes refusé', reply: 'Réponse CPAM' });
    await library.add({ institution: 'CPAM', testimony: 'Bonjour madame, merci de votre accueil, vous êtes très aimables', reply: 'Réponse accueil' });
    const found = await library.similar('Bonjour, on me REFUSE le remboursement de mes LUNETTES, merci', 'URSSAF', 1);
    expect(found.map((f) => f.entry.id)).toEqual([entry.id]);
    expect(await library.similar('', 'URSSAF')).toEqual([]);
  });

  it('counts uses', async () => {
    const entry = await library.add(caf);
    await library.markUsed([entry.id, 'unknown']);
    await library.markUsed([entry.id]);
    expect((await library.get(entry.id)).uses).toBe(2);
  });
});
