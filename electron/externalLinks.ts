import { isExternalLink } from './navigationGuard.js';

/** What the confirmation uses of Electron's `dialog` and `shell` (docs/api/dialog.md, shell.md). */
export interface ExternalLinkDeps {
  showMessageBox(options: { type: 'question'; buttons: string[]; defaultId: number; cancelId: number; title: string; message: string; detail: string; noLink: boolean }): Promise<{ response: number }>;
  openExternal(url: string): Promise<void>;
}

/**
 * Opens an `https` link in the system browser once the agent confirmed (in French): the only way out of the app, and
 * an explicit one. Anything but `https` is never opened.
 */
export function confirmingOpener(deps: ExternalLinkDeps): (url: string) => Promise<boolean> {
  return async (url) => {
    if (!isExternalLink(url)) return false;
    const { response } = await deps.showMessageBox({
      type: 'question',
      buttons: ['Ouvrir dans le navigateur', 'Annuler'],
      defaultId: 0,
      cancelId: 1,
      title: 'Ouvrir un site extérieur',
      message: `Ouvrir ${new URL(url).host} dans votre navigateur ?`,
      detail: `${url}\n\nLa page s’ouvrira hors de Guichet, dans le navigateur de votre poste.`,
      noLink: true,
    });
    if (response !== 0) return false;
    await deps.openExternal(url);
    return true;
  };
}
