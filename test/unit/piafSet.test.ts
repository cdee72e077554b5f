import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsOfSpan, piafToEvalSet } from '../../assistant/eval/piafSet.js';
import { parseEvalSet } from '../../assistant/eval/questionSet.js';

const sample = {
  version: '1',
  data: [
    {
      title: 'F1168',
      paragraphs: [
        {
          context: '…',
          qas: [
            { id: 'q-1', question: ' Quel est le préavis du locataire ? ', answers: [{ answer_start: 0, text: '3  mois, ou 1 mois en zone tendue' }] },
            { question: 'Qui paie les réparations ?', answers: [{ answer_start: 0, text: 'le locataire' }] },
          ],
        },
        { context: 'pas de question' },
      ],
    },
    { title: 'F2', paragraphs: [] },
  ],
};

describe('PIAF conversion', () => {
  it('gives one question per qas, the article as gold, amounts and durations of the spans as facts', () => {
    const set = piafToEvalSet(sample, { name: 'n', description: 'd', kind: 'piaf' });
    expect(set.questions).toEqual([
      { id: 'q-1', question: 'Quel est le préavis du locataire ?', gold: ['F1168'], kind: 'piaf', facts: ['3 mois', '1 mois'] },
      { id: 'F1168-2', question: 'Qui paie les réparations ?', gold: ['F1168'], kind: 'piaf' },
    ]);
    // The converted set reads as any question set.
    expect(parseEvalSet(set, 'x')).toEqual(set.questions);
  });

  it('finds amounts, shares and durations, not bare numbers', () => {
    expect(factsOfSpan('une amende de 1 500 € et 25 % de majoration sous 45 jours, article 12')).toEqual(['1 500 €', '25 %', '45 jours']);
    expect(() => piafToEvalSet({ nope: true }, { name: 'n', description: 'd', kind: 'piaf' })).toThrow(/jeu PIAF/);
  });

  it('the committed docs/eval/questions-piaf.json is a valid question set', () => {
    const committed = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/eval/questions-piaf.json'), 'utf8')) as unknown;
    const questions = parseEvalSet(committed, 'questions-piaf.json');
    expect(questions).toHaveLength(105);
    expect(questions.every((q) => q.gold.length === 1 && q.kind === 'piaf')).toBe(true);
  });
});
