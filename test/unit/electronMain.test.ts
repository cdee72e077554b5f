import { EventEmitter } from 'node:events';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../assistant/contract/contentSecurityPolicy.js';
import { ENGINE_READY } from '../../assistant/contract/engineConfig.js';
import { APP_INDEX, rendererHandler } from '../../electron/appProtocol.js';
import { confirmingOpener } from '../../electron/externalLinks.js';
import { guardNavigation } from '../../electron/navigationGuard.js';
import { hardenSession } from '../../electron/sessionSecurity.js';
import { FakeIpc } from '../support/electron/fakeIpc.js';
import { FakeUtilityProcess } from '../support/electron/fakeUtilityProcess.js';

/** Electron's Session, as docs/api/session.md and web-request.md describe the parts used. */
class FakeSession {
  beforeRequest?: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
  permissionRequest?: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheck?: (webContents: unknown, permission: string) => boolean;
  webRequest = { onBeforeRequest: (listener: NonNullable<FakeSession['beforeRequest']>) => void (this.beforeRequest = listener) };
  setPermissionRequestHandler(handler: FakeSession['permissionRequest'] | null) {
    this.permissionRequest = handler ?? undefined;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck'] | null) {
    this.permissionCheck = handler ?? undefined;
  }
  /** What Chromium does with a request: asks the listener, waits for its callback. */
  request(url: string): Promise<boolean> {
    return new Promise((done) => this.beforeRequest!({ url }, ({ cancel }) => done(!cancel)));
  }
}

/** A WebContents: `will-navigate` events with `preventDefault`, `setWindowOpenHandler` (docs/api/web-contents.md). */
class FakeWebContents extends EventEmitter {
  openHandler?: (details: { url: string }) => { action: 'deny' | 'allow' };
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['openHandler']>) {
    this.openHandler = handler;
  }
  /** Emits `will-navigate` as Electron does; true when the navigation went ahead. */
  navigate(url: string): boolean {
    let prevented = false;
    this.emit('will-navigate', { url, preventDefault: () => (prevented = true) }, url);
    return !prevented;
  }
}

describe('main process security, piece by piece', () => {
  it('serves the renderer from app:// with the web shell’s CSP, and nothing outside its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guichet-app-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>Guichet</title>');
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, '..', 'secret.txt'), 'non');
    const handle = rendererHandler(dir);
    const index = await handle(new Request(APP_INDEX));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(await index.text()).toContain('Guichet');
    expect((await handle(new Request('app://guichet/assets/app.js'))).headers.get('content-type')).toContain('javascript');
    expect((await handle(new Request('app://guichet/%2e%2e/secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://autre/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://guichet/absent.js'))).status).toBe(404);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'; script-src 'self';/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it('blocks every request outside app:// (and says which), denies every permission', async () => {
    const session = new FakeSession();
    const blocked: string[] = [];
    hardenSession(session, (url) => blocked.push(url));
    expect(await session.request('app://guichet/assets/app.js')).toBe(true);
    expect(await session.request('data:image/png;base64,AAAA')).toBe(true);
    expect(await session.request('https://www.service-public.fr/particuliers/vosdroits/F1342')).toBe(false);
    expect(await session.request('http://127.0.0.1:8080/api/ask')).toBe(false);
    expect(await session.request('file:///etc/passwd')).toBe(false);
    expect(await session.request('ws://exemple.fr/')).toBe(false);
    expect(blocked).toHaveLength(4);
    const granted = await new Promise((done) => session.permissionRequest!({}, 'media', done));
    expect(granted).toBe(false);
    expect(session.permissionCheck!({}, 'notifications')).toBe(false);
  });

  it('blocks navigation and new windows; an https link goes to the system browser, anything else nowhere', () => {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    guardNavigation(contents, (url) => opened.push(url));
    expect(contents.navigate('app://guichet/index.html')).toBe(true);
    expect(contents.navigate('https://www.service-public.fr/particuliers/vosdroits/F1342')).toBe(false);
    expect(contents.navigate('file:///etc/passwd')).toBe(false);
    expect(contents.navigate('javascript:alert(1)')).toBe(false);
    expect(contents.openHandler!({ url: 'https://www.ants.gouv.fr/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://exemple.fr/' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://www.service-public.fr/particuliers/vosdroits/F1342', 'https://www.ants.gouv.fr/']);
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });

  it('opens an external link only once the agent confirmed, in French', async () => {
    const showMessageBox = vi.fn(async () => ({ response: 1 }));
    const openExternal = vi.fn(async () => {});
    const open = confirmingOpener({ showMessageBox, openExternal });
    expect(await open('https://www.service-public.fr/particuliers/vosdroits/F1342')).toBe(false);
    expect(showMessageBox).toHaveBeenCalledWith(expect.objectContaining({ buttons: ['Ouvrir dans le navigateur', 'Annuler'], cancelId: 1, message: expect.stringContaining('www.service-public.fr') }));
    expect(openExternal).not.toHaveBeenCalled();
    showMessageBox.mockResolvedValueOnce({ response: 0 });
    expect(await open('https://www.service-public.fr/')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://www.service-public.fr/');
    expect(await open('file:///etc/passwd')).toBe(false);
    expect(showMessageBox).toHaveBeenCalledTimes(2);
  });
});

// ── The composition (electron/main.ts) against a fake of Electron's modules ──

class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  loaded?: string;
  shown = false;
  focused = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  async loadURL(url: string) {
    this.loaded = url;
  }
  show() {
    this.shown = true;
  }
  maximize() {}
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {
    this.focused = true;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
}

const electron = vi.hoisted(() => ({ current: undefined as unknown as Record<string, unknown> }));
vi.mock('electron', () =>
  Object.defineProperties(
    {},
    Object.fromEntries(
      ['app', 'BrowserWindow', 'dialog', 'ipcMain', 'Menu', 'protocol', 'safeStorage', 'session', 'shell', 'utilityProcess', 'crashReporter', 'autoUpdater'].map((name) => [name, { enumerable: true, get: () => electron.current[name] }]),
    ),
  ),
);

function fakeElectron(userData: string, lock: boolean) {
  const app = Object.assign(new EventEmitter(), {
    getAppPath: () => '/opt/Guichet/resources/app.asar',
    paths: { appData: userData } as Record<string, string>,
    getPath(name: string) {
      return this.paths[name] ?? tmpdir();
    },
    setPath(name: string, path: string) {
      this.paths[name] = path;
    },
    getVersion: () => '0.1.0',
    requestSingleInstanceLock: vi.fn(() => lock),
    quit: vi.fn(),
    whenReady: () => Promise.resolve(),
  });
  const ipc = new FakeIpc();
  const session = new FakeSession();
  const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
  const menu = { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() };
  const fork = vi.fn(() => {
    const child = new FakeUtilityProcess();
    child.parentPort.postMessage({ type: ENGINE_READY, pid: child.pid });
    return child;
  });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showMessageBox: vi.fn(async () => ({ response: 1 })) },
    ipcMain: ipc.main,
    Menu: menu,
    protocol,
    session: { defaultSession: session },
    shell: { openExternal: vi.fn() },
    utilityProcess: { fork },
    // docs/api/safe-storage.md: no keystore on this fake PC (history stays plain, said so).
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn(), getSelectedStorageBackend: () => 'basic_text' },
    crashReporter: { start: vi.fn() },
    autoUpdater: { checkForUpdates: vi.fn() },
  };
}

describe('electron/main.ts', () => {
  beforeEach(() => {
    vi.resetModules();
    FakeBrowserWindow.created = [];
  });

  it('a second launch hands over to the first and quits, opening nothing', async () => {
    const fake = fakeElectron(await mkdtemp(join(tmpdir(), 'guichet-ud-')), false);
    electron.current = fake;
    await import('../../electron/main.js');
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(fake.protocol.handle).not.toHaveBeenCalled();
  });

  it('opens one hardened window on app://, the session locked, the menu French, the engine in a utility process', async () => {
    const fake = fakeElectron(await mkdtemp(join(tmpdir(), 'guichet-ud-')), true);
    electron.current = fake;
    await import('../../electron/main.js');
    await vi.waitFor(() => expect(FakeBrowserWindow.created[0]?.loaded).toBe(APP_INDEX));
    const window = FakeBrowserWindow.created[0]!;
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: expect.stringMatching(/preload\.cjs$/) });
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    const session = fake.session.defaultSession;
    expect(await session.request('https://exemple.fr/')).toBe(false);
    expect(session.permissionCheck!({}, 'geolocation')).toBe(false);
    const [template] = fake.Menu.buildFromTemplate.mock.calls[0] as unknown as [{ label: string }[]];
    expect(template.map((entry) => entry.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
    // Every web contents created is guarded.
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('https://exemple.fr/')).toBe(false);
    await vi.waitFor(() => expect(fake.utilityProcess.fork).toHaveBeenCalledWith(expect.stringMatching(/engineMain\.(ts|js)$/), expect.any(Array), expect.objectContaining({ serviceName: expect.any(String) })));
    const [, [configJson]] = fake.utilityProcess.fork.mock.calls[0] as unknown as [string, [string]];
    expect(JSON.parse(configJson)).toMatchObject({ atRest: { state: 'plain', warning: expect.stringContaining('en clair') } });
    fake.app.emit('second-instance');
    expect(window.focused).toBe(true);
    expect(fake.app.paths.userData).toBe(join(fake.app.paths.appData!, 'Guichet'));
    expect(fake.crashReporter.start).not.toHaveBeenCalled();
    expect(fake.autoUpdater.checkForUpdates).not.toHaveBeenCalled();
    fake.app.emit('will-quit');
  });
});
