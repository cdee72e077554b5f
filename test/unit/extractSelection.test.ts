import { describe, expect, it } from 'vitest';
import { questionStems } from '../../assistant/ask/answeringSentences.js';
import { blockCost, selectExtracts } from '../../assistant/ask/extracts.js';
import { passageUnits } from '../../assistant/ask/passageUnits.js';
import type { SearchHit } from '../../assistant/knowledge/knowledgeTypes.js';

const FILLER = 'Cette phrase parle de tout autre chose que du sujet et occupe de la place dans le passage.';

function hit(id: string, passages: { text: string; section?: string[]; ordinal?: number }[]): SearchHit {
  return {
    ficheId: id, title: `Fiche ${id}`, audience: 'particuliers', source: 'dila', kind: 'information', url: `https://x/${id}`,
    date: '2020-07-21', description: '', score: 1, pinned: false,
    passages: passages.map((p, i) => ({ chunkId: `particuliers:${id}#${p.ordinal ?? i + 1}`, text: p.text, sectionPath: p.section ?? ['Section'] })),
  };
}

describe('passage units', () => {
  it('keeps a list item whole, drops bold headings as units and lends their words to the units under them', () => {
    const text = '**Conditions › Pièces à fournir**\n\nVous devez fournir :\n\n- une photo d’identité. Elle date de moins de 6 mois.\n- un justificatif de domicile.';
    const units = passageUnits(text, questionStems(['pièces', 'photo']));
    expect(units.map((u) => u.text)).toEqual(['Vous devez fournir :', '- une photo d’identité. Elle date de moins de 6 mois.', '- un justificatif de domicile.']);
    expect([...units[0]!.headingStems]).toContain('piec');
    expect(units[0]!.opensList).toBe(true);
  });

  it('marks the first prose paragraph of a fiche’s introduction, not a notice before it', () => {
    const text = '> **Projet de réforme** : les règles changeront.\n\nOui, sous conditions. Il faut un accord écrit.\n\nAutre paragraphe ensuite.';
    const units = passageUnits(text, new Set(), { introduction: true });
    expect(units.filter((u) => u.lead).map((u) => u.text)).toEqual(['Oui, sous conditions.', 'Il faut un accord écrit.']);
    expect(units.find((u) => u.first)?.text).toBe('Oui, sous conditions.');
  });

  it('keeps the question’s short subject words and acronyms (« nom », « CDD »), not short expansion words', () => {
    const stems = questionStems(['nom', 'cdd'], ['contrat', 'de']);
    expect([...stems].sort()).toEqual(['cdd', 'contrat', 'nom']);
  });
});

describe('selecting the answering units across passages', () => {
  const stems = questionStems(['déblocage', 'anticipé']);
  const list = [
    'Le déblocage anticipé est possible dans les cas suivants :',
    '- Mariage, conclusion d’un Pacs',
    '- Naissance ou adoption d’un troisième enfant',
    '- Rupture du contrat de travail',
  ].join('\n');
  const hits = [
    hit('F1', [{ text: `${FILLER} ${FILLER}\n\n${list}\n\n${FILLER} ${FILLER}` }, { text: `Le déblocage se demande en ligne. ${FILLER} ${FILLER}` }]),
    hit('F2', [{ text: `${FILLER} ${FILLER} ${FILLER}` }]),
    hit('F3', [{ text: `${FILLER} Le déblocage anticipé n’est pas automatique. ${FILLER}` }]),
  ];

  it('keeps a hit sentence’s list items with it, and the three best fiches represented within the room', () => {
    const extracts = selectExtracts(hits, 180, stems);
    const first = extracts.find((e) => e.ficheId === 'F1')!;
    expect(first.text).toContain(`${list.split('\n')[0]}\n- Mariage, conclusion d’un Pacs\n- Naissance ou adoption d’un troisième enfant\n- Rupture du contrat de travail`);
    expect(new Set(extracts.map((e) => e.ficheId))).toEqual(new Set(['F1', 'F2', 'F3']));
    expect(extracts.reduce((sum, e) => sum + blockCost(e), 0)).toBeLessThanOrEqual(180);
    expect(extracts.map((e) => e.n)).toEqual(extracts.map((_, i) => i + 1));
  });

  it('prefers a fiche’s introduction to a sentence of another section that holds one of the question’s words', () => {
    const intro = hit('F9', [
      { text: `Oui, à condition de ne pas avoir été propriétaire. ${FILLER}\n\n**Cas général**\n\n${FILLER} Le prêt se demande à la banque. ${FILLER}`, section: [], ordinal: 0 },
    ]);
    const extracts = selectExtracts([intro], 36, questionStems(['prêt', 'taux', 'zéro']));
    expect(extracts).toHaveLength(1);
    expect(extracts[0]!.text).not.toContain('banque');
    expect(extracts.map((e) => e.text).join(' ')).toContain('Oui, à condition de ne pas avoir été propriétaire.');
  });
});
