/** One entry of Electron's menu template (docs/api/menu-item.md), the fields used here. */
export interface MenuEntry {
  label?: string;
  role?: 'quit' | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'reload' | 'togglefullscreen' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'minimize' | 'close' | 'about';
  type?: 'separator';
  accelerator?: string;
  click?: () => void;
  submenu?: MenuEntry[];
}

/** What the menu's own entries do. */
export interface MenuActions {
  restartEngine(): void;
  showAbout(): void;
}

/**
 * The application menu, in French: Electron's default one is in English and offers developer tools, which a locked-down
 * agent's PC has no use for. Edit roles stay (copy a drafted answer, paste a citizen's message).
 */
export function frenchMenuTemplate(actions: MenuActions): MenuEntry[] {
  return [
    {
      label: 'Fichier',
      submenu: [
        { label: 'Redémarrer le moteur', click: () => actions.restartEngine() },
        { type: 'separator' },
        { label: 'Quitter', role: 'quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    {
      label: 'Édition',
      submenu: [
        { label: 'Annuler', role: 'undo' },
        { label: 'Rétablir', role: 'redo' },
        { type: 'separator' },
        { label: 'Couper', role: 'cut' },
        { label: 'Copier', role: 'copy' },
        { label: 'Coller', role: 'paste' },
        { label: 'Tout sélectionner', role: 'selectAll' },
      ],
    },
    {
      label: 'Affichage',
      submenu: [
        { label: 'Taille réelle', role: 'resetZoom' },
        { label: 'Agrandir', role: 'zoomIn' },
        { label: 'Réduire', role: 'zoomOut' },
        { type: 'separator' },
        { label: 'Plein écran', role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Fenêtre',
      submenu: [
        { label: 'Réduire dans la barre des tâches', role: 'minimize' },
        { label: 'Fermer', role: 'close' },
      ],
    },
    { label: 'Aide', submenu: [{ label: 'À propos de Guichet', click: () => actions.showAbout() }] },
  ];
}
