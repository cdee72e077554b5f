import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

/** Component tests of the renderer: jsdom (DOMPurify does not sanitise under happy-dom), Svelte's browser build. */
export default defineProject({
  plugins: [svelte({ configFile: fileURLToPath(new URL('./renderer/svelte.config.js', import.meta.url)) })],
  resolve: { conditions: ['browser'] },
  test: {
    name: 'renderer',
    root: fileURLToPath(new URL('.', import.meta.url)),
    environment: 'jsdom',
    include: ['test/renderer/components/**/*.test.ts'],
    setupFiles: ['test/renderer/components/setup.ts'],
  },
});
