import type { WindowState } from './windowState.js';

/** Where the main window opens, and how big: the last state, or the default. */
export function windowGeometry(state: WindowState) {
  return {
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: 720,
    minHeight: 520,
    title: 'Guichet',
    show: false,
    backgroundColor: '#ffffff',
  };
}
