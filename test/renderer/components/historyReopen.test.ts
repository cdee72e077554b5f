import { screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../assistant/api.js';
import QuestionScreen from '../../../renderer/src/lib/components/question/QuestionScreen.svelte';
import { fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';
import { renderScreen } from './appHarness.js';

const PRO_FICHE = {
  ficheId: 'F23571', title: 'Embauche d’un salarié : déclaration préalable', url: 'https://entreprendre.service-public.fr/vosdroits/F23571', date: '2025-09-01', audience: 'professionnels',
  passages: [{ n: 1, sectionPath: ['Démarche'], text: "La déclaration préalable à l'embauche se fait auprès de l'Urssaf. Elle doit être faite dans les 8 jours précédant l'embauche." }],
};

function conversation(sources: Conversation['messages'][number]['sources'], consulted?: Conversation['messages'][number]['consulted']): Conversation {
  return {
    id: 'c-pro', title: 'Déclaration préalable', createdAt: '2026-01-14T09:12:00Z', updatedAt: '2026-01-14T09:13:00Z', messageCount: 2, skippedLines: 0,
    messages: [
      { id: 'a', role: 'agent', text: 'Quand faire la déclaration préalable à l’embauche ?', createdAt: '2026-01-14T09:12:00Z' },
      { id: 'b', role: 'assistant', text: "Elle se fait auprès de l'Urssaf, dans les 8 jours précédant l'embauche [1].", createdAt: '2026-01-14T09:12:10Z', citations: [{ n: 1, ficheId: 'F23571' }], ...(sources ? { sources } : {}), ...(consulted ? { consulted } : {}) },
    ],
  };
}

async function cardOf(ficheId: string): Promise<HTMLElement> {
  return waitFor(() => {
    const card = document.querySelector<HTMLElement>(`[data-fiche="${ficheId}"]`);
    if (!card) throw new Error(`no card for ${ficheId}`);
    return card;
  });
}

describe('a conversation reopened from the history', () => {
  it('shows the same source cards as when it was written: audience, passages, cited sentences, uncited fiches', async () => {
    const { app } = renderScreen(QuestionScreen, fakeClient());
    app.conversation.reopen(conversation([PRO_FICHE], data.CONSULTED_ONLY));
    const card = await cardOf('F23571');
    expect(within(card).getByText('Professionnels')).toBeTruthy();
    expect(within(card).queryByText('Particuliers')).toBeNull();
    expect(within(card).getByText('Extrait [1]')).toBeTruthy();
    const marks = [...card.querySelectorAll('mark')].map((m) => m.textContent?.trim());
    expect(marks).toContain("Elle doit être faite dans les 8 jours précédant l'embauche.");
    expect(screen.getByText(/Fiches consultées mais non citées \(1\)/)).toBeTruthy();
  });

  it('reads a line written before audiences and passages were kept: no guessed audience, no passage', async () => {
    const { app } = renderScreen(QuestionScreen, fakeClient());
    const { audience: _a, passages: _p, ...old } = PRO_FICHE;
    app.conversation.reopen(conversation([old]));
    const card = await cardOf('F23571');
    expect(card.querySelector('.fr-badge--blue-ecume')).toBeNull();
    expect(card.querySelector('.guichet-passage')).toBeNull();
    expect(within(card).getByRole('button', { name: 'Ouvrir la fiche' })).toBeTruthy();
  });
});
