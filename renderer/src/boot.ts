/** Mounts Guichet with the shell's client: the one composition point of the renderer. */
import { mount } from 'svelte';
import App from './App.svelte';
import type { GuichetClient } from './lib/api/client.js';
import { provideClient } from './lib/services/clientHolder.js';
import { createAppState, type AppState } from './lib/state/appState.js';
import './styles/guichet.css';

export function mountGuichet(target: HTMLElement, client: GuichetClient): AppState {
  provideClient(client);
  const app = createAppState();
  mount(App, { target, props: { app } });
  return app;
}
