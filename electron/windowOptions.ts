import type { WindowState } from './windowState.js';

/**
 * The main window's options (docs/api/browser-window.md, web-preferences): the renderer isolated from Node and from
 * the preload (`contextIsolation`), in Chromium's sandbox, no Node integration anywhere (workers, subframes), web
 * security on, no webview tag, no spell-check dictionary download. Kept as data so a test reads exactly what is set.
 */
export function mainWindowOptions(state: WindowState, preload: string) {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 520,
    title: 'Guichet',
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  } as const;
}
