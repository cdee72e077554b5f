/** Every manager of the app, built once by the entry and shared through Svelte's context. */
import { getContext, setContext } from 'svelte';
import { ConversationManager } from './conversation.svelte.js';
import { FicheManager } from './fiche.svelte.js';
import { HistoryManager } from './history.svelte.js';
import { PlatformManager } from './platform.svelte.js';
import { RemoteManager } from './remote.svelte.js';
import { ReplyDraftManager } from './replyDraft.svelte.js';
import { ReplyLibraryManager } from './replyLibrary.svelte.js';
import { Router } from './router.svelte.js';
import { SearchManager } from './search.svelte.js';
import { SettingsManager } from './settings.svelte.js';
import { StatsManager } from './stats.svelte.js';
import { StatusManager } from './status.svelte.js';
import { TypingPreview } from './typingPreview.svelte.js';
import { UiPreferences } from './uiPreferences.svelte.js';

export interface AppState {
  router: Router;
  preferences: UiPreferences;
  conversation: ConversationManager;
  /** The fiches of the question being typed, and the reading ahead of its extracts. */
  preview: TypingPreview;
  status: StatusManager;
  settings: SettingsManager;
  search: SearchManager;
  fiche: FicheManager;
  history: HistoryManager;
  stats: StatsManager;
  replyDraft: ReplyDraftManager;
  replyLibrary: ReplyLibraryManager;
  platform: PlatformManager;
  remote: RemoteManager;
}

export function createAppState(): AppState {
  const preferences = new UiPreferences();
  const status = new StatusManager();
  const conversation = new ConversationManager(() => ({ useModel: preferences.useModel }), () => void status.refresh());
  return {
    router: new Router(),
    preferences,
    conversation,
    preview: new TypingPreview(),
    status,
    settings: new SettingsManager(),
    search: new SearchManager(),
    fiche: new FicheManager(),
    history: new HistoryManager(conversation),
    stats: new StatsManager(),
    replyDraft: new ReplyDraftManager(),
    replyLibrary: new ReplyLibraryManager(),
    platform: new PlatformManager(),
    remote: new RemoteManager(),
  };
}

/** Context key of the app state (exported for component tests). */
export const APP_CONTEXT = Symbol('guichet-app');
const KEY = APP_CONTEXT;

export function provideApp(app: AppState): void {
  setContext(KEY, app);
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('useApp() outside <App>');
  return app;
}
