/** Renders a screen with a fresh app state over a fake client. */
import { render } from '@testing-library/svelte';
import type { Component } from 'svelte';
import type { GuichetClient } from '../../../renderer/src/lib/api/client.js';
import { provideClient } from '../../../renderer/src/lib/services/clientHolder.js';
import { APP_CONTEXT, createAppState, type AppState } from '../../../renderer/src/lib/state/appState.js';

export function renderScreen(screen: Component<Record<string, never>>, client: GuichetClient) {
  provideClient(client);
  const app = createAppState();
  const view = render(screen, { context: new Map([[APP_CONTEXT, app]]) });
  return { app: app as AppState, container: view.container };
}
