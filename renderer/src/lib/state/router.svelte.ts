/** Screens by URL hash (`#/recherche`, `#/fiche/F1342`): works from a file, a loopback server or the desktop app. */
export type Screen = 'question' | 'recherche' | 'fiche' | 'reponses' | 'historique' | 'statistiques' | 'parametres';

export interface Route {
  screen: Screen;
  /** The fiche id on `fiche`. */
  param?: string;
}

const SCREENS: readonly Screen[] = ['question', 'recherche', 'fiche', 'reponses', 'historique', 'statistiques', 'parametres'];

export function parseHash(hash: string): Route {
  const [screen, param] = hash.replace(/^#\/?/, '').split('/');
  if (screen && (SCREENS as readonly string[]).includes(screen)) {
    return param ? { screen: screen as Screen, param: decodeURIComponent(param) } : { screen: screen as Screen };
  }
  return { screen: 'question' };
}

export function hrefOf(screen: Screen, param?: string): string {
  return `#/${screen}${param ? `/${encodeURIComponent(param)}` : ''}`;
}

export class Router {
  route = $state<Route>(parseHash(location.hash));

  constructor() {
    addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
    });
  }

  go(screen: Screen, param?: string): void {
    const href = hrefOf(screen, param);
    if (location.hash === href) this.route = parseHash(href);
    else location.hash = href;
  }
}
