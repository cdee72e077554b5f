import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The renderer: a static bundle (index.html, hashed JS/CSS, DSFR fonts and icons) served by a shell. */
export default defineConfig({
  root,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Everything is loaded from the shell's own origin: no inline script, no data: fonts that a CSP would refuse.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
