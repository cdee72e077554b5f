import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { AskEvent, RemoteStatus } from '../../../assistant/api.js';
import { STOPPED_NOTICE } from '../../../assistant/contract/answerNotices.js';
import QuestionScreen from '../../../renderer/src/lib/components/question/QuestionScreen.svelte';
import type { AskResult } from '../../../renderer/src/lib/api/client.js';
import { controlledStream, type ControlledStream } from '../fakes/controlledStream.js';
import { abortedResult, fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';
import { renderScreen } from './appHarness.js';

const UNREACHABLE = { code: 'model-unavailable', message: "Le modèle de langue n'a pas pu être chargé : voici les passages des fiches trouvées. Le serveur llm.dept.gouv.fr ne répond pas." };
const OFFER = { code: 'local-model-available', message: 'Un modèle de langue est installé sur ce poste : pour rédiger ici, retirez le serveur partagé dans Paramètres (réglage runtime.remote.url) ou relancez avec --model.' };

function setup() {
  const streams: ControlledStream<AskEvent, AskResult>[] = [];
  const switches: boolean[] = [];
  const base = fakeClient();
  const client = fakeClient({
    ask: () => {
      const control = controlledStream<AskEvent, AskResult>(() => abortedResult('La demande se fait en mairie.'));
      streams.push(control);
      return control.stream;
    },
  });
  client.remote = {
    ...base.remote,
    useLocalModel: async ({ enabled }) => {
      switches.push(enabled);
      return { ...(await base.remote.status()), localForSession: enabled } as RemoteStatus;
    },
  };
  const view = renderScreen(QuestionScreen, client);
  return { ...view, streams, switches };
}

async function ask() {
  const box = screen.getByLabelText(/Question de l'usager/);
  await fireEvent.input(box, { target: { value: data.QUESTION } });
  await fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
}

describe('how a draft ends', () => {
  it('says once that the agent stopped the draft: the badge and one status line, no box repeating it', async () => {
    const { streams } = setup();
    await ask();
    await streams[0]!.emit({ type: 'token', text: 'La demande se fait en mairie.' });
    await fireEvent.click(screen.getByRole('button', { name: /Arrêter/ }));
    await waitFor(() => expect(screen.getByText('Arrêté')).toBeTruthy(), { timeout: 5_000 }); // clock: anti-hang; a loaded machine renders slower than waitFor's 1 s default
    expect(screen.getByText('Rédaction arrêtée à votre demande : le texte déjà écrit est conservé.')).toBeTruthy();
    expect(screen.queryByText(STOPPED_NOTICE)).toBeNull();
    expect(document.querySelectorAll('.guichet-turn .fr-alert')).toHaveLength(0);
  });

  it('offers the model of this PC in one click when the shared server failed, then asks again with it', async () => {
    const { streams, switches } = setup();
    await ask();
    await streams[0]!.emit({ type: 'sources', consulted: data.SOURCES });
    await streams[0]!.finish(data.askResult({ mode: 'search-only', stopReason: 'no-model', warnings: [UNREACHABLE, OFFER] }));
    const button = await screen.findByRole('button', { name: 'Utiliser le modèle du poste' }, { timeout: 5_000 }); // clock: anti-hang; a loaded machine renders slower than waitFor's 1 s default
    // No silent switch: the search results are there, nothing was asked again yet.
    expect(document.querySelector('[data-fiche="F1341"]')).not.toBeNull();
    expect(streams).toHaveLength(1);
    expect(switches).toEqual([]);
    expect(screen.queryByText(/--model/)).toBeNull();
    await fireEvent.click(button);
    await waitFor(() => expect(streams).toHaveLength(2), { timeout: 5_000 }); // clock: anti-hang; a loaded machine renders slower than waitFor's 1 s default
    expect(switches).toEqual([true]);
    await streams[1]!.emit({ type: 'sources', consulted: data.SOURCES });
    await streams[1]!.finish(data.askResult());
    await waitFor(() => expect(screen.getByText('Brouillon')).toBeTruthy(), { timeout: 5_000 }); // clock: anti-hang; a loaded machine renders slower than waitFor's 1 s default
    expect(screen.queryByRole('button', { name: 'Utiliser le modèle du poste' })).toBeNull();
    expect(screen.getAllByRole('article').filter((a) => a.classList.contains('guichet-turn'))).toHaveLength(1);
  });
});
