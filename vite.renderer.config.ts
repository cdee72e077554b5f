import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Build configuration runs in Node, beside the renderer (renderer/ itself never touches Node).
const root = fileURLToPath(new URL('./renderer', import.meta.url));

/** The renderer: a static bundle (index.html, hashed JS/CSS, DSFR fonts and icons) served by a shell. */
export default defineConfig({
  root,
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./renderer/svelte.config.js', import.meta.url)) })],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Everything is loaded from the shell's own origin: no inline script, no data: fonts that a CSP would refuse.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
