/**
 * The desktop shell's main process, its one composition file (actualbudget's desktop shell is the model): single
 * instance, window state, French menu, the renderer served from `app://guichet`, the session locked down, the engine
 * in a supervised utility process, and the contract relayed to the page. Nothing else runs here: no remote module, no
 * auto-update, no crash reporter (never started), no telemetry.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { EngineHost } from '../assistant/host/engineHost.js';
import { guichetChannel } from '../assistant/host/guichetChannel.js';
import { APP_INDEX, APP_SCHEME, isAppUrl, rendererHandler } from './appProtocol.js';
import { utilityEngineSpawner } from './engineUtilityProcess.js';
import { confirmingOpener } from './externalLinks.js';
import { frenchMenuTemplate } from './frenchMenu.js';
import { relayContract, type IpcMainLike } from './ipcRelay.js';
import { guardNavigation } from './navigationGuard.js';
import { hardenSession } from './sessionSecurity.js';
import { desktopSettings } from './desktopSettings.js';
import { historyKey } from './historyKey.js';
import { windowGeometry } from './windowOptions.js';
import { loadWindowState, saveWindowState } from './windowState.js';

/** Where the built pieces are, inside the app (asar) or the source tree: dist/renderer, dist/desktop/preload.cjs. */
const APP_ROOT = app.getAppPath();
const RENDERER_DIR = join(APP_ROOT, 'dist', 'renderer');
const PRELOAD = join(APP_ROOT, 'dist', 'desktop', 'preload.cjs');

// One data folder whatever the package calls the app: %APPDATA%\Guichet, ~/.config/Guichet (docs/deploiement.md).
app.setPath('userData', join(app.getPath('appData'), 'Guichet'));

// Before `ready`: `app://` is a standard, secure origin, so that `'self'` in the CSP means the app and nothing else.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the first (its window comes to the front) and leaves.
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  let window: BrowserWindow | undefined;
  const openExternal = confirmingOpener({
    showMessageBox: (options) => (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options)),
    openExternal: (url) => shell.openExternal(url),
  });
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, (url) => void openExternal(url)));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();
  const dataDir = app.getPath('userData');
  hardenSession(session.defaultSession, (url) => console.warn(`[guichet] requête bloquée : ${url}`));
  protocol.handle(APP_SCHEME, rendererHandler(RENDERER_DIR));

  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const settings = await desktopSettings(dataDir, process.env, resources ? join(resources, 'corpus') : undefined);
  const sealing = await historyKey(safeStorage, dataDir);
  if (sealing.atRest.state === 'plain') console.warn(`[guichet] ${sealing.atRest.warning}`);
  const config = { ...settings.engineConfig, atRest: sealing.atRest };
  const spawn = utilityEngineSpawner({ config, ...(sealing.key ? { historyKey: sealing.key } : {}) });
  const host = new EngineHost({ spawn, autoRestart: true, pingIntervalMs: 15_000 });
  host.onStatus((status) => {
    if (status.state === 'crashed') console.warn(`[guichet] moteur arrêté : ${status.message ?? ''}`);
  });
  const relay = relayContract(ipcMain as unknown as IpcMainLike, guichetChannel(host), {
    isTrustedFrame: isAppUrl,
    onInternalError: (method, error) => console.error(`[guichet] erreur interne dans ${method} :`, error),
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      frenchMenuTemplate({
        restartEngine: () => void host.restart().catch(() => {}),
        showAbout: () => void dialog.showMessageBox({ type: 'info', title: 'À propos de Guichet', message: `Guichet ${app.getVersion()}`, detail: 'Assistant hors ligne pour les agents des services publics.' }),
      }),
    ),
  );
  app.on('will-quit', () => {
    relay.dispose();
    void host.dispose();
  });

  const statePath = join(dataDir, 'fenetre.json');
  const state = await loadWindowState(statePath);
  // Written out here, not built elsewhere, so that the static audit (electronegativity) reads what is set: the page
  // isolated from the preload, in Chromium's sandbox, no Node anywhere, web security on, no webview, no middle-click
  // new windows, no spell-check dictionary download.
  window = new BrowserWindow({
    ...windowGeometry(state),
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) window.maximize();
  const shown = window;
  shown.once('ready-to-show', () => shown.show());
  shown.on('close', () => {
    const bounds = shown.getNormalBounds();
    void saveWindowState(statePath, { ...bounds, maximized: shown.isMaximized() }).catch(() => {});
  });
  await shown.loadURL(APP_INDEX);
  void host.start().catch(() => {});
}
