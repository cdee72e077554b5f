import { screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SettingsScreen from '../../../renderer/src/lib/components/settings/SettingsScreen.svelte';
import { fakeClient } from '../fakes/fakeClient.js';
import * as data from '../fakes/fixtures.js';
import { renderScreen } from './appHarness.js';

describe('settings locked by policy', () => {
  it('are disabled and say why; the others stay editable', async () => {
    const client = fakeClient({ settings: data.settings({ 'privacy.maskBeforeModel': true, 'interface.theme': 'etat' }, ['privacy.maskBeforeModel', 'interface.theme']) });
    const { app } = renderScreen(SettingsScreen, client);
    await app.settings.load();
    const masked = await screen.findByLabelText('Masquer les données personnelles avant le modèle');
    await waitFor(() => expect((masked as HTMLInputElement).disabled).toBe(true));
    expect((masked as HTMLInputElement).checked).toBe(true);
    expect(masked.getAttribute('aria-describedby')).toContain('setting-privacy-maskBeforeModel-locked');
    expect(document.getElementById('setting-privacy-maskBeforeModel-locked')?.textContent).toContain('Verrouillé par votre administrateur');
    expect((screen.getByLabelText(/^Neutre/) as HTMLInputElement).closest('fieldset')?.disabled).toBe(true);
    expect((screen.getByLabelText('Autoriser les téléchargements') as HTMLInputElement).disabled).toBe(false);
  });
});
