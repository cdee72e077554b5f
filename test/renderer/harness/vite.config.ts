import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

/** The screenshot harness: the renderer with the fake client, built aside (never part of the shipped bundle). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('../../../renderer/svelte.config.js', import.meta.url)) })],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/renderer-harness', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
