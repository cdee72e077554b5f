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
    // A hang detector, as for the unit tests: a file's first render compiles and loads its component tree, which took
    // 6,5 s with both cores kept busy (stress-ng --cpu 2 and other work, load average 18); vitest's default is 5 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
