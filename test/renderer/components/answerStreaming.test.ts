import { fireEvent, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AskEvent } from '../../../assistant/api.js';
import QuestionScreen from '../../../renderer/src/lib/components/question/QuestionScreen.svelte';
import type { AskResult } from '../../../renderer/src/lib/api/client.js';
import { controlledStream, type ControlledStream } from '../fakes/controlledStream.js';
import { abortedResult, fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';
import { renderScreen } from './appHarness.js';

function setup() {
  let control!: ControlledStream<AskEvent, AskResult>;
  let written = '';
  const client = fakeClient({
    ask: () => {
      control = controlledStream<AskEvent, AskResult>(() => abortedResult(written));
      return control.stream;
    },
  });
  const view = renderScreen(QuestionScreen, client);
  const emitToken = async (text: string) => {
    written += text;
    await control.emit({ type: 'token', text });
  };
  return { ...view, control: () => control, emitToken };
}

async function ask(question = data.QUESTION) {
  const box = screen.getByLabelText(/Question de l'usager/);
  await fireEvent.input(box, { target: { value: question } });
  await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
}

describe('answer view', () => {
  it('shows the source cards as soon as sources arrive, before any token', async () => {
    const { control } = setup();
    await ask();
    await control().emit({ type: 'status', stage: 'searching', message: 'Recherche des fiches…' });
    await control().emit({ type: 'sources', consulted: data.SOURCES });
    const sources = screen.getByRole('region', { name: /Fiches trouvées/ });
    expect(within(sources).getByRole('heading', { name: /Carte d'identité d'un enfant mineur/ })).toBeTruthy();
    expect(screen.queryByText(/autorité parentale, en présence/)).toBeNull();
    expect(screen.getByRole('button', { name: /Arrêter/ })).toBeTruthy();
  });

  it('streams tokens into the draft progressively', async () => {
    const { control, emitToken, container } = setup();
    await ask();
    await control().emit({ type: 'sources', consulted: data.SOURCES });
    await emitToken('La demande se fait ');
    expect(container.querySelector('.guichet-draft')?.textContent).toContain('La demande se fait');
    await emitToken('en mairie.');
    expect(container.querySelector('.guichet-draft')?.textContent).toContain('La demande se fait en mairie.');
  });

  it('« Arrêter » cancels the stream and keeps the partial draft', async () => {
    const { control, emitToken, container } = setup();
    await ask();
    await control().emit({ type: 'sources', consulted: data.SOURCES });
    await emitToken("La demande doit être faite par un parent [1]. L'enfant");
    await fireEvent.click(screen.getByRole('button', { name: /Arrêter/ }));
    await waitFor(() => expect(screen.getByText('Arrêté')).toBeTruthy());
    expect(control().cancelled).toBe(true);
    expect(container.querySelector('.guichet-draft')?.textContent).toContain("La demande doit être faite par un parent");
    expect(container.querySelector('.guichet-draft')?.textContent).toContain("L'enfant");
    expect(screen.queryByRole('button', { name: /Arrêter/ })).toBeNull();
    expect(screen.getByRole('button', { name: 'Copier le texte' })).toBeTruthy();
  });

  it('shows the warnings of the answer', async () => {
    const { control } = setup();
    await ask();
    await control().finish(data.askResult({ mode: 'search-only', stopReason: 'no-model', warnings: [{ code: 'model-load-failed', message: "Le modèle n'a pas pu être chargé : recherche seule." }] }));
    await waitFor(() => expect(screen.getByText("Le modèle n'a pas pu être chargé : recherche seule.")).toBeTruthy());
  });
});

describe('citation chips', () => {
  it('turn [n] into buttons that focus their source card', async () => {
    const { control, emitToken } = setup();
    await ask();
    await control().emit({ type: 'sources', consulted: data.SOURCES });
    await emitToken('Une pré-demande est possible [3].');
    await control().emit({ type: 'citations', citations: data.askResult().citations, sources: data.SOURCES });
    const chip = screen.getByRole('button', { name: 'Source 3 : Pré-demande de carte d’identité en ligne' });
    expect(chip.textContent).toBe('[3]');
    await fireEvent.click(chip);
    await waitFor(() => expect((document.activeElement as HTMLElement).dataset['fiche']).toBe('F21089'));
  });
});
