import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { RemoteStatus } from '../../../assistant/api.js';
import SettingsScreen from '../../../renderer/src/lib/components/settings/SettingsScreen.svelte';
import { fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';
import { renderScreen } from './appHarness.js';

const SERVER = 'https://llm.dept.gouv.fr/v1';

/** Paramètres with a shared server allowed by policy and set, its status changed by `status`. */
async function withServer(status: Partial<RemoteStatus> = {}, locked: Parameters<typeof data.settings>[1] = []) {
  const client = fakeClient({ remote: true, settings: data.settings({ 'runtime.remote.url': SERVER }, locked) });
  const served = client.remote.status;
  client.remote = { ...client.remote, status: async () => ({ ...(await served(undefined)), ...status }) };
  const setKey = vi.spyOn(client.remote, 'setApiKey');
  const clearKey = vi.spyOn(client.remote, 'clearApiKey');
  const set = vi.spyOn(client.settings, 'set');
  const { app } = renderScreen(SettingsScreen, client);
  await app.settings.load();
  await screen.findByRole('heading', { name: 'Serveur de modèle partagé' });
  return { setKey, clearKey, set };
}

describe('Paramètres: the shared model server', () => {
  it('is not offered when machine policy does not allow one', async () => {
    const { app } = renderScreen(SettingsScreen, fakeClient());
    await app.settings.load();
    await screen.findByLabelText('Masquer les données personnelles avant le modèle');
    await waitFor(() => expect(app.remote.status).not.toBeNull());
    expect(screen.queryByRole('heading', { name: 'Serveur de modèle partagé' })).toBeNull();
    expect(screen.queryByLabelText(/Adresse du serveur/)).toBeNull();
  });

  it('offers the address, the server’s models and the key; saves each; never shows the stored key', async () => {
    const { setKey, clearKey, set } = await withServer();
    expect((screen.getByLabelText(/Adresse du serveur/) as HTMLInputElement).value).toBe(SERVER);
    expect(screen.getByText('Données personnelles masquées avant l’envoi')).toBeTruthy();
    const model = (await screen.findByLabelText('Modèle du serveur llm.dept.gouv.fr')) as HTMLSelectElement;
    expect([...model.options].map((option) => option.textContent?.replace(/\s/g, ' '))).toEqual(['Le premier proposé', 'mistral-small-24b-instruct — contexte 32 768 jetons', 'lucie-7b-instruct — contexte 8 192 jetons']);
    await fireEvent.change(model, { target: { value: 'lucie-7b-instruct' } });
    await waitFor(() => expect(set).toHaveBeenCalledWith({ key: 'runtime.remote.model', value: 'lucie-7b-instruct' }));

    const key = screen.getByLabelText(/Clé d’API \(enregistrée\)/) as HTMLInputElement;
    expect(key.type).toBe('password');
    expect(key.value).toBe('');
    expect(screen.getByText(/chiffrée par le trousseau du système/)).toBeTruthy();
    await fireEvent.input(key, { target: { value: ' sk-service-42 ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer la clé' }));
    await waitFor(() => expect(setKey).toHaveBeenCalledWith({ apiKey: 'sk-service-42' }));
    await waitFor(() => expect(key.value).toBe(''));
    await fireEvent.click(screen.getByRole('button', { name: 'Effacer la clé enregistrée' }));
    await waitFor(() => expect(clearKey).toHaveBeenCalled());

    const address = screen.getByLabelText(/Adresse du serveur/) as HTMLInputElement;
    await fireEvent.input(address, { target: { value: ' https://ia.prefecture.gouv.fr/v1 ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Enregistrer' }));
    await waitFor(() => expect(set).toHaveBeenCalledWith({ key: 'runtime.remote.url', value: 'https://ia.prefecture.gouv.fr/v1' }));
  });

  it('says when the key is kept without encryption, and asks none when policy provides it', async () => {
    await withServer({ keyProtection: 'plain' });
    expect(screen.getByText(/sans chiffrement \(pas de trousseau sécurisé ici\)/)).toBeTruthy();
    document.body.innerHTML = '';
    await withServer({ keyFromPolicy: true });
    expect(screen.getByText('Clé d’API : fournie par votre service informatique.')).toBeTruthy();
    expect(screen.queryByLabelText(/Clé d’API/)).toBeNull();
  });

  it('a server imposed by policy: address and model locked, said why; a refused address says why', async () => {
    await withServer({}, ['runtime.remote.url', 'runtime.remote.model']);
    expect((screen.getByLabelText(/Adresse du serveur/) as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Enregistrer' })).toBeNull();
    expect(((await screen.findByLabelText('Modèle du serveur llm.dept.gouv.fr')) as HTMLSelectElement).disabled).toBe(true);
    expect(document.getElementById('remote-url-locked')?.textContent).toContain('Verrouillé par votre administrateur');
    document.body.innerHTML = '';
    const refusal = "L'adresse http://llm.dept.gouv.fr/v1 n'est pas chiffrée (HTTPS obligatoire hors de ce poste).";
    await withServer({ host: null, refusal });
    expect(screen.getByText(refusal)).toBeTruthy();
    expect(screen.queryByLabelText(/Modèle du serveur/)).toBeNull();
  });
});
