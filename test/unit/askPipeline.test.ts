import { describe, expect, it } from 'vitest';
import { ANSWER_SYSTEM_PROMPT, answerRequest } from '../../assistant/ask/askPrompt.js';
import { type Extract, selectExtracts } from '../../assistant/ask/extracts.js';
import { practicalLinks, relatedQuestions } from '../../assistant/ask/fichesAround.js';
import { isFollowUp, searchQueryFor } from '../../assistant/ask/followUp.js';
import { estimateTokens, extractRoom } from '../../assistant/ask/promptBudget.js';
import type { Fiche, SearchHit } from '../../assistant/knowledge/knowledgeTypes.js';

function hit(id: string, passages: number, words = 60): SearchHit {
  return {
    ficheId: id, title: `Fiche ${id}`, audience: 'particuliers', source: 'dila', kind: 'information', url: `https://x/${id}`,
    date: '2020-07-21', description: '', score: 1, pinned: false,
    passages: Array.from({ length: passages }, (_, i) => ({ chunkId: `${id}#${i}`, text: `${id} passage ${i} ${'mot '.repeat(words)}`, sectionPath: ['Section'] })),
  };
}

describe('prompt budget', () => {
  it('estimates French text conservatively and leaves room for the answer', () => {
    expect(estimateTokens('a'.repeat(320))).toBe(100);
    const room = extractRoom({ contextSize: 4096, answerTokens: 600, maxExtractTokens: 10_000 }, 'q'.repeat(320));
    expect(room).toBe(4096 - 600 - 100 - 64);
    expect(extractRoom({ contextSize: 4096, answerTokens: 600, maxExtractTokens: 1200 }, 'q')).toBe(1200);
    expect(extractRoom({ contextSize: 512, answerTokens: 600, maxExtractTokens: 1200 }, 'q')).toBe(0);
  });

  it('picks the three best fiches first, then the best one again, within the room', () => {
    const hits = [hit('F1', 3), hit('F2', 3), hit('F3', 3)];
    const all = selectExtracts(hits, 100_000);
    expect(all.slice(0, 5).map((e) => e.chunkId)).toEqual(['F1#0', 'F2#0', 'F3#0', 'F1#1', 'F2#1']);
    expect(all.map((e) => e.n)).toEqual(all.map((_, i) => i + 1));
    expect(new Set(all.map((e) => e.chunkId)).size).toBe(9);
    const tight = selectExtracts(hits, 200);
    expect(tight.length).toBeGreaterThan(0);
    expect(tight.reduce((sum, e) => sum + estimateTokens(e.text), 0)).toBeLessThanOrEqual(200);
    expect(selectExtracts(hits, 0)).toEqual([]);
  });

  it('keeps the system prompt identical whatever the question, and numbers the extracts', () => {
    const extracts = selectExtracts([hit('F1', 1)], 1000) as Extract[];
    const a = answerRequest({ question: 'Q1', extracts, maxTokens: 100 });
    const b = answerRequest({ question: 'Q2', extracts: [], maxTokens: 100, previousQuestion: 'Q0' });
    expect(a.system).toBe(ANSWER_SYSTEM_PROMPT);
    expect(b.system).toBe(a.system);
    expect(a.messages[0]?.text).toContain('[1] « Fiche F1 » (fiche du 21/07/2020) — Section');
    expect(b.messages[0]?.text).toContain("Question précédente de l'agent : Q0");
  });
});

describe('follow-up questions', () => {
  it('recognises questions that only make sense after the previous one', () => {
    expect(isFollowUp('et pour un mineur ?')).toBe(true);
    expect(isFollowUp('Et si elle est née à l’étranger ?')).toBe(true);
    expect(isFollowUp('combien ça coûte ?')).toBe(true);
    expect(isFollowUp("Comment obtenir un extrait de casier judiciaire pour un emploi dans la fonction publique ?")).toBe(false);
    expect(isFollowUp('')).toBe(false);
  });

  it('searches a follow-up with the subject of the question it follows, chained', () => {
    const first = { question: "Comment refaire une carte d'identité ?" };
    expect(searchQueryFor('et pour un mineur ?', [first])).toEqual({
      query: "Comment refaire une carte d'identité ? et pour un mineur ?",
      followUp: true,
      previous: first.question,
    });
    expect(searchQueryFor('Qui verse le RSA ?', [first]).query).toBe('Qui verse le RSA ?');
    expect(searchQueryFor('et pour un mineur ?', []).followUp).toBe(false);
  });
});

describe('fiches around an answer', () => {
  const fiche = (id: string, related: string[], services: [string, string, Fiche['onlineServices'][number]['type']][]): Fiche => ({
    id, source: 'dila', audience: 'particuliers', kind: 'information', title: id, description: '', date: '2020-01-01', url: '', themes: [], breadcrumb: [], sections: [],
    relatedQuestions: related.map((r) => ({ question: `Question ${r} ?`, ficheId: r })),
    onlineServices: services.map(([sid, url, type]) => ({ id: sid, title: sid, url, type })),
    contacts: [], references: [], searchable: true,
  });

  it('lists related questions once, never the fiches already used, at most 5', () => {
    const questions = relatedQuestions([fiche('F1', ['F2', 'F3', 'F4'], []), fiche('F2', ['F3', 'F5', 'F6', 'F7', 'F8'], [])]);
    expect(questions.map((q) => q.ficheId)).toEqual(['F3', 'F4', 'F5', 'F6', 'F7']);
  });

  it('types links, puts téléservices and simulateurs first, dedupes URLs, at most 5', () => {
    const links = practicalLinks([
      fiche('F1', [], [['R1', 'https://a', 'formulaire'], ['R2', 'https://b', 'teleservice'], ['R3', 'https://a', 'formulaire']]),
      fiche('F2', [], [['R4', 'https://c', 'simulateur'], ['R5', 'https://d', 'modele-de-document'], ['R6', 'https://e', 'teleservice'], ['R7', 'https://f', 'formulaire']]),
    ]);
    expect(links.map((l) => l.url)).toEqual(['https://b', 'https://e', 'https://c', 'https://a', 'https://f']);
    expect(links[0]).toMatchObject({ type: 'teleservice', typeLabel: 'Téléservice', ficheId: 'F1' });
  });
});
