import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SearchHit, SearchResult } from '../../corpus/search/ficheSearch.js';
import type { GenerateOptions, GenerateRequest, GenerationResult, StopReason } from '../../native-models/modelRuntime.js';
import { stripAiMention, withAiMention } from '../../assistant/replies/aiMention.js';
import { mapCitations, type ReplyExtract } from '../../assistant/replies/replyCitations.js';
import { ReplyLibrary } from '../../assistant/replies/replyLibrary.js';
import { ReplyService, type ReplyServiceOptions } from '../../assistant/replies/replyService.js';
import { asksQuestion, questionOf } from '../../assistant/replies/testimonyQuestion.js';

const POLICY_MENTION = 'Réponse rédigée avec l’appui de l’outil Albert, puis vérifiée par nos équipes.';
const DEFAULT_MENTION = "Cette réponse a été préparée avec l'aide d'un outil d'intelligence artificielle et relue par un agent.";
const maskEmails = (text: string): string => text.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[E-MAIL]');

function hit(n: number, passages = 2): SearchHit {
  return {
    ficheId: `F${n}`,
    title: `Fiche ${n}`,
    audience: 'particuliers',
    source: 'dila',
    kind: 'information',
    url: `https://www.service-public.fr/particuliers/vosdroits/F${n}`,
    date: '2026-01-01',
    description: `Description ${n}`,
    score: 1 / n,
    pinned: false,
    passages: Array.from({ length: passages }, (_, i) => ({ chunkId: `F${n}-${i}`, text: `Passage ${n}.${i}`, sectionPath: ['Conditions'] })),
  };
}

/** A fake model: records its requests and answers with a fixed text. */
function fakeModel(text: string, reason: StopReason = 'stop') {
  const requests: GenerateRequest[] = [];
  const generate = async (request: GenerateRequest, options: GenerateOptions): Promise<GenerationResult> => {
    requests.push(request);
    options.onText?.(text);
    return { text, reason, stats: { promptTokens: 10, evaluatedPromptTokens: 10, completionTokens: 5, timeToFirstTokenMs: 1, durationMs: 2, tokensPerSecond: 5 } };
  };
  return { requests, generate };
}

function fakeSearch(hits: SearchHit[], weak = false) {
  const queries: string[] = [];
  const search = async (query: string): Promise<SearchResult> => {
    queries.push(query);
    return { hits, weak, mode: 'fulltext', analysis: {} as SearchResult['analysis'] };
  };
  return { queries, search };
}

let library: ReplyLibrary;
const service = (options: Partial<ReplyServiceOptions>): ReplyService =>
  new ReplyService({ library, search: undefined, generate: undefined, aiMention: () => POLICY_MENTION, redact: maskEmails, ...options });

beforeEach(async () => {
  library = new ReplyLibrary({ dataDir: await mkdtemp(join(tmpdir(), 'guichet-reply-service-')), redact: maskEmails });
});

describe('ReplyService.draftReply', () => {
  it('appends the policy’s AI mention exactly once, even when the model wrote one', async () => {
    const model = fakeModel(
      `Bonjour, merci pour votre témoignage.\nNous comprenons votre attente.\n\nLe service CAF de la Gironde\n\n${POLICY_MENTION}\nCette réponse a été générée par une intelligence artificielle.`,
    );
    const draft = await service({ generate: model.generate }).draftReply({ testimony: 'Trois mois sans nouvelles.', institution: 'CAF de la Gironde' });
    expect(draft.mode).toBe('model');
    expect(draft.mention).toBe(POLICY_MENTION);
    expect(draft.reply).toBe(`Bonjour, merci pour votre témoignage.\nNous comprenons votre attente.\n\nLe service CAF de la Gironde\n\n${POLICY_MENTION}`);
    expect(draft.reply.split('Albert')).toHaveLength(2);
    expect(draft.reply).not.toMatch(/intelligence artificielle/);
    expect(draft.stopReason).toBe('stop');
    expect(draft.stats?.completionTokens).toBe(5);
  });

  it('uses the default mention when the setting is blank', async () => {
    const draft = await service({ generate: fakeModel('Bonjour. Le service X').generate, aiMention: () => '  ' }).draftReply({ testimony: 'Merci' });
    expect(draft.reply).toBe(`Bonjour. Le service X\n\n${DEFAULT_MENTION}`);
  });

  it('searches the fiches when the testimony asks, and maps the cited extracts back to fiches', async () => {
    const model = fakeModel('Bonjour. La prime est versée chaque mois [1], sous conditions [2, 9]. Voir aussi [7]. Le service CAF');
    const search = fakeSearch([hit(1), hit(2), hit(3)]);
    const draft = await service({ generate: model.generate, search: search.search }).draftReply({
      testimony: "J'ai déposé mon dossier en mars. Quand vais-je recevoir ma prime d'activité ?",
      institution: 'CAF',
    });
    expect(search.queries).toEqual(["Quand vais-je recevoir ma prime d'activité ?"]);
    const user = model.requests[0]?.messages[0]?.text ?? '';
    expect(user).toMatch(/\[1\] Fiche 1[^\n]*\nConditions : Passage 1\.0/);
    expect(user).toMatch(/\[4\] Fiche 1[^\n]*\nConditions : Passage 1\.1/);
    expect(user).not.toMatch(/\[5\]/);
    expect(draft.citations).toEqual([
      { n: 1, ficheId: 'F1', title: 'Fiche 1', url: 'https://www.service-public.fr/particuliers/vosdroits/F1' },
      { n: 2, ficheId: 'F2', title: 'Fiche 2', url: 'https://www.service-public.fr/particuliers/vosdroits/F2' },
    ]);
    expect(draft.reply.startsWith('Bonjour. La prime est versée chaque mois [1], sous conditions [2]. Voir aussi. Le service CAF')).toBe(true);
  });

  it('does not search when the testimony asks nothing, nor use weak results', async () => {
    const search = fakeSearch([hit(1)]);
    const model = fakeModel('Bonjour [1]. Le service');
    await service({ generate: model.generate, search: search.search }).draftReply({ testimony: 'Accueil parfait, merci à toute l’équipe.' });
    expect(search.queries).toEqual([]);
    expect(model.requests[0]?.messages[0]?.text).toMatch(/Aucun extrait de fiche/);

    const weak = fakeSearch([hit(1)], true);
    const draft = await service({ generate: model.generate, search: weak.search }).draftReply({ testimony: 'Comment obtenir un rendez-vous ?' });
    expect(weak.queries).toHaveLength(1);
    expect(draft.citations).toEqual([]);
    expect(draft.reply).not.toContain('[1]');
    expect(draft.notes.join(' ')).toMatch(/Aucune fiche ne répond nettement/);
  });

  it('masks the testimony before the model and treats HTML as text', async () => {
    const model = fakeModel('Bonjour. Le service');
    await service({ generate: model.generate }).draftReply({ testimony: 'Écrivez-moi à jean@exemple.fr <img src=x onerror=alert(1)>' });
    const user = model.requests[0]?.messages[0]?.text ?? '';
    expect(user).toContain('Écrivez-moi à [E-MAIL] <img src=x onerror=alert(1)>');
    expect(user).not.toContain('jean@exemple.fr');
  });

  it('gives validated replies of the same institution as examples, without their AI mention, and counts the use', async () => {
    const gironde = await library.add({ institution: 'CAF de la Gironde', testimony: 'Retard de versement', reply: `Bonjour, nous comprenons. Le service CAF de la Gironde\n\n${POLICY_MENTION}` });
    await library.add({ institution: 'Préfecture du Nord', testimony: 'Titre de séjour', reply: 'Bonjour. Le service Préfecture du Nord' });
    const model = fakeModel('Bonjour. Le service CAF de la Gironde');
    const draft = await service({ generate: model.generate }).draftReply({ testimony: 'Retard de versement de mon RSA', institution: 'CAF de la Gironde', tone: 'formel' });
    expect(draft.examplesUsed).toEqual([gironde.id]);
    const user = model.requests[0]?.messages[0]?.text ?? '';
    expect(user).toContain('Bonjour, nous comprenons. Le service CAF de la Gironde');
    expect(user).not.toContain('Albert');
    expect((await library.get(gironde.id)).uses).toBe(1);
  });

  it('without a model, offers the closest validated replies with a note and no AI mention', async () => {
    const entry = await library.add({ institution: 'CPAM', testimony: 'Remboursement des lunettes refusé', reply: 'Bonjour, concernant vos lunettes… Le service CPAM' });
    const draft = await service({}).draftReply({ testimony: 'Mes lunettes ne sont pas remboursées', institution: 'CPAM' });
    expect(draft).toMatchObject({ mode: 'library-only', mention: null, reply: entry.reply, examplesUsed: [entry.id], citations: [] });
    expect(draft.suggestions[0]).toMatchObject({ id: entry.id, institution: 'CPAM' });
    expect(draft.notes[0]).toMatch(/Aucun modèle n'est chargé/);
    expect(draft.reply).not.toContain(POLICY_MENTION);

    const empty = await service({}).draftReply({ testimony: 'Sujet sans rapport', institution: 'URSSAF' });
    expect(empty).toMatchObject({ mode: 'library-only', reply: '', suggestions: [] });
    expect(empty.notes[0]).toMatch(/rédigez la réponse vous-même/);
  });

  it('falls back to the library when the runtime says no model is loaded', async () => {
    const generate = async (): Promise<GenerationResult> => {
      throw Object.assign(new Error('Aucun modèle chargé.'), { name: 'ModelError', code: 'model-not-loaded' });
    };
    expect((await service({ generate }).draftReply({ testimony: 'Bonjour' })).mode).toBe('library-only');
  });

  it('refuses an empty testimony or an unknown tone with a typed French error', async () => {
    const replies = service({ generate: fakeModel('x').generate });
    await expect(replies.draftReply({ testimony: ' \n ' })).rejects.toMatchObject({ name: 'ReplyError', code: 'reply-testimony-empty', message: expect.stringMatching(/témoignage est vide/) });
    await expect(replies.draftReply({ testimony: 'ok', tone: 'ironique' as never })).rejects.toMatchObject({ code: 'reply-request-invalid' });
  });

  it('says when the generation was stopped', async () => {
    const draft = await service({ generate: fakeModel('Bonjour, merci', 'aborted').generate }).draftReply({ testimony: 'Attente' });
    expect(draft.reply).toBe(`Bonjour, merci\n\n${POLICY_MENTION}`);
    expect(draft.notes).toContain('Rédaction interrompue : la réponse est incomplète.');
  });
});

describe('question detection', () => {
  it.each([
    'Je voudrais savoir où en est mon dossier?',
    'Comment faire pour obtenir un rendez-vous',
    'Pourquoi mon dossier est bloqué depuis 3 mois',
    'Quand aurai-je une réponse',
    "Est-ce que je peux envoyer les pièces par courrier",
    'Puis-je venir sans rendez-vous',
    'Faut-il un justificatif de domicile',
    'Combien de temps faut attendre',
  ])('detects a question in « %s »', (text) => {
    expect(asksQuestion(text)).toBe(true);
  });

  it.each([
    "J'ai pris rendez-vous et tout s'est bien passé.",
    "L'agent a été très aimable, merci.",
    'Commentaire : accueil rapide.',
  ])('finds no question in « %s »', (text) => {
    expect(asksQuestion(text)).toBe(false);
    expect(questionOf(text)).toBeUndefined();
  });

  it('searches with the asking sentences, or the testimony when the question is too short', () => {
    expect(questionOf("J'ai déposé mon dossier. Puis-je le compléter en ligne ou dois-je revenir au guichet ?")).toBe(
      'Puis-je le compléter en ligne ou dois-je revenir au guichet ?',
    );
    expect(questionOf('Ma carte vitale est perdue depuis mars. Pourquoi ?')).toBe('Ma carte vitale est perdue depuis mars. Pourquoi ?');
  });
});

describe('citations and AI mention', () => {
  const extracts: ReplyExtract[] = [1, 2].map((n) => ({ n, ficheId: `F${n}`, title: `T${n}`, url: `u${n}`, date: 'd', text: 't' }));

  it('keeps cited extracts in order of first use, drops out-of-range numbers and their markers', () => {
    const { text, citations } = mapCitations('A [2]. B [1][2]. C [3]. D [1; 5]. En [2024], E.', extracts);
    expect(citations.map((c) => c.n)).toEqual([2, 1]);
    expect(citations[0]).toEqual({ n: 2, ficheId: 'F2', title: 'T2', url: 'u2' });
    expect(text).toBe('A [2]. B [1][2]. C. D [1]. En [2024], E.');
  });

  it('removes the exact mention, a paraphrase or any AI statement, and keeps the rest', () => {
    const text = `Bonjour.\nNous avons relu votre dossier. Cette réponse a été rédigée par une IA.\n${POLICY_MENTION}`;
    expect(stripAiMention(text, POLICY_MENTION)).toBe('Bonjour.\nNous avons relu votre dossier.');
    expect(stripAiMention('Réponse rédigée avec l’appui de l’outil Albert.', POLICY_MENTION)).toBe('');
    expect(withAiMention('Bonjour.', POLICY_MENTION)).toBe(`Bonjour.\n\n${POLICY_MENTION}`);
    expect(withAiMention(withAiMention('Bonjour.', POLICY_MENTION), POLICY_MENTION)).toBe(`Bonjour.\n\n${POLICY_MENTION}`);
  });
});
