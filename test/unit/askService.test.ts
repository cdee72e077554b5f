import { describe, expect, it } from 'vitest';
import { type AnswerKnowledge, type AnswerModel, AskService } from '../../assistant/ask/askService.js';
import type { AskEvent } from '../../assistant/ask/askTypes.js';
import type { Fiche, SearchHit, SearchResult } from '../../assistant/knowledge/knowledgeTypes.js';
import type { GenerateRequest } from '../../native-models/modelRuntime.js';

const hit = (id: string): SearchHit => ({
  ficheId: id, title: `Titre ${id}`, audience: 'particuliers', source: 'dila', kind: 'information', url: `https://sp/${id}`, date: '2020-07-21',
  description: '', score: 1, pinned: false,
  passages: [0, 1].map((i) => ({ chunkId: `particuliers:${id}#${i}`, text: `Passage ${i} de ${id}. ${'texte '.repeat(40)}`, sectionPath: ['Où ?'] })),
});

const knowledge = (weak = false): AnswerKnowledge => ({
  search: async (request): Promise<SearchResult> => ({
    hits: ['F1', 'F2', 'F3'].map(hit),
    analysis: { original: request.query, terms: [], expansions: [], expansionPhrases: [], expansionsByTerm: {}, corrections: [], acronyms: [], fullTextWords: [], fullText: '', semantic: '' },
    mode: 'fulltext',
    weak,
  }),
  getFiche: async (id): Promise<Fiche> => ({
    id, source: 'dila', audience: 'particuliers', kind: 'information', title: id, description: '', date: '2020-01-01', url: '', themes: [], breadcrumb: [], sections: [],
    relatedQuestions: [{ question: `Voisine de ${id} ?`, ficheId: `${id}-Q` }],
    onlineServices: [{ id: `R-${id}`, title: `Téléservice ${id}`, url: `https://ts/${id}`, type: 'teleservice' }],
    contacts: [], references: [], searchable: true,
  }),
});

function model(text: string, tokensPerChar = 1 / 3.2): AnswerModel & { prompts: GenerateRequest[] } {
  const prompts: GenerateRequest[] = [];
  return {
    prompts,
    loadedContextSize: () => 4096,
    promptTokens: async (request) => Math.ceil(((request.system ?? '') + (request.messages[0]?.text ?? '')).length * tokensPerChar),
    generate: async (request, options) => {
      prompts.push(request);
      for (const piece of text.match(/.{1,8}/gs) ?? []) options.onText?.(piece);
      return { text, reason: 'stop', stats: { promptTokens: 900, evaluatedPromptTokens: 300, completionTokens: 20, timeToFirstTokenMs: 50, durationMs: 200, tokensPerSecond: 100 } };
    },
  };
}

describe('AskService', () => {
  it('maps citations to the fiches cited, lists the others as consulted, and reads around the cited fiches', async () => {
    const service = new AskService(knowledge(), model('Mairie [2]. Photo [1]. Inventé [9].'));
    const events: AskEvent[] = [];
    const answer = await service.ask({ question: 'Carte ?' }, [], { emit: (e) => events.push(e) });
    expect(answer.citations.map((c) => [c.n, c.ficheId])).toEqual([[2, 'F2'], [1, 'F1']]);
    expect(answer.sources.map((s) => s.ficheId)).toEqual(['F2', 'F1']);
    expect(answer.consulted.map((s) => s.ficheId)).not.toContain('F1');
    expect(answer.invalidCitations).toEqual([9]);
    expect(answer.citationValidity).toBeCloseTo(2 / 3);
    expect(answer.notices.join(' ')).toMatch(/\[9\]/);
    expect(answer.relatedQuestions.map((q) => q.ficheId)).toEqual(['F2-Q', 'F1-Q']);
    expect(answer.links[0]).toMatchObject({ type: 'teleservice', ficheId: 'F2' });
    expect(answer.stats).toMatchObject({ promptTokens: 900, evaluatedPromptTokens: 300, tokensPerSecond: 100 });
    expect(events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('')).toBe(answer.answer);
  });

  it('reads around the best fiche when the answer cites none', async () => {
    const answer = await new AskService(knowledge(), model('Je ne sais pas.')).ask({ question: 'Carte ?' }, []);
    expect(answer.sources).toEqual([]);
    expect(answer.relatedQuestions.map((q) => q.ficheId)).toEqual(['F1-Q']);
  });

  it('drops extracts until the measured prompt fits the context', async () => {
    const tight = model('ok', 3);
    const answer = await new AskService(knowledge(), tight).ask({ question: 'Carte ?', maxTokens: 200 }, []);
    const prompt = tight.prompts[0]!;
    expect(await tight.promptTokens(prompt)).toBeLessThanOrEqual(4096 - 200);
    expect(answer.consulted.flatMap((s) => s.passages).length).toBeLessThan(6);
  });

  it('keeps answering when a listener throws, and flags weak retrieval', async () => {
    const answer = await new AskService(knowledge(true), model('x [1]')).ask({ question: 'Q' }, [], { emit: () => { throw new Error('écran'); } });
    expect(answer.weakRetrieval).toBe(true);
    expect(answer.notices[0]).toMatch(/répondent mal/);
  });

  it('answers without a model in the same shape, and cuts a huge paste', async () => {
    const answer = await new AskService(knowledge(), undefined).ask({ question: 'passeport '.repeat(1_000) }, []);
    expect(answer).toMatchObject({ mode: 'search-only', stopReason: 'no-model', citations: [], citationValidity: 1 });
    expect(answer.question.length).toBe(4_000);
    expect(answer.sources).toHaveLength(3);
    expect(answer.notices.join(' ')).toMatch(/Aucun modèle de langue/);
  });

  it('masks personal data before the model sees it when the setting asks', async () => {
    const spy = model('ok');
    await new AskService(knowledge(), spy, { maskForModel: (t) => t.replace(/\S+@\S+/g, '[E-MAIL]') }).ask({ question: 'écrire à a@b.fr ?' }, []);
    expect(spy.prompts[0]?.messages[0]?.text).toContain('[E-MAIL]');
    expect(spy.prompts[0]?.messages[0]?.text).not.toContain('a@b.fr');
  });
});
