/**
 * The desktop preload (sandboxed, context-isolated): exposes the contract to the page as `window.guichetBridge`
 * (`invoke`, `subscribe`, `cancel`, derived from the method table), and nothing else. Bundled into one CommonJS file
 * by scripts/desktop/buildDesktop.ts: a sandboxed preload can only require `electron`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL } from '../assistant/contract/bridgeTransport.js';
import { GUICHET_METHODS } from '../assistant/contract/engineMethods.js';
import { createContractBridge } from './preloadBridge.js';

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, createContractBridge(GUICHET_METHODS, ipcRenderer));
