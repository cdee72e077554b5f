import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte 5 with runes everywhere and TypeScript in components. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
