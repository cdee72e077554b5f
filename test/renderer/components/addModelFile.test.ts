import { fireEvent, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import SettingsScreen from '../../../renderer/src/lib/components/settings/SettingsScreen.svelte';
import { fakeClient } from '../fakes/fakeClient.js';
import { renderScreen } from './appHarness.js';

const FILE = 'D:\\Modeles\\lucie-7b-instruct.Q4_K_M.gguf';

describe('« Ajouter un fichier de modèle »', () => {
  it('registers the file with the engine (models.add), then makes it the model in use', async () => {
    const client = fakeClient();
    const add = vi.fn(async ({ path }: { path: string }) => ({ model: { path: `${path}` }, fit: { verdict: 'ok', message: '' } }));
    client.models = { ...client.models, add: add as never };
    const set = vi.spyOn(client.settings, 'set');
    const { app } = renderScreen(SettingsScreen, client);
    await app.settings.load();
    await fireEvent.input(await screen.findByLabelText(/Ajouter un fichier de modèle/), { target: { value: ` ${FILE} ` } });
    await fireEvent.click(screen.getByRole('button', { name: 'Utiliser ce fichier' }));
    await waitFor(() => expect(set).toHaveBeenCalledWith({ key: 'runtime.modelPath', value: FILE }));
    expect(add).toHaveBeenCalledWith({ path: FILE });
    expect(add.mock.invocationCallOrder[0]).toBeLessThan(set.mock.invocationCallOrder[0] ?? 0);
  });

  it('says in French why a file is refused, and keeps the model in use', async () => {
    const client = fakeClient();
    client.models = { ...client.models, add: (() => Promise.reject({ name: 'ModelError', code: 'not-gguf', message: "Ce fichier n'est pas un modèle GGUF." })) as never };
    const set = vi.spyOn(client.settings, 'set');
    const { app } = renderScreen(SettingsScreen, client);
    await app.settings.load();
    await fireEvent.input(await screen.findByLabelText(/Ajouter un fichier de modèle/), { target: { value: 'C:\\notes.txt' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Utiliser ce fichier' }));
    expect((await screen.findByText("Ce fichier n'est pas un modèle GGUF.")).id).toBe('model-file-error');
    expect(set).not.toHaveBeenCalled();
  });
});
