import { defineConfig } from 'vitest/config';
import { noNetworkNodeOptions } from './test/support/noNetworkOptions.js';
import { ENGINE_TIMEOUT_MS, INDEX_BUILD_TIMEOUT_MS } from './test/support/timeouts.js';

/**
 * Two projects, run one after the other by `npm test`:
 * - unit: pure logic, runs anywhere (no ../shared needed);
 * - integration: the real feeds, models, engine processes and devices of ../shared (later test/e2e too); its
 *   setup file fails each of its files with a French message when ../shared is missing.
 * `npx vitest run --project unit` runs the unit tests alone.
 */
export default defineConfig({
  test: {
    setupFiles: ['test/support/noNetwork.ts'],
    // Integration tests load native engines (LanceDB, llama.cpp) and share one built index: files run one at a time
    // on this 2-vCPU machine, tests inside a file stay sequential.
    fileParallelism: false,
    // Pure logic: 10 s is a hang, not a slow machine. Integration tests get more, sized from measured durations
    // (test/support/timeouts.ts); real-device tests set their own there.
    testTimeout: 10_000,
    hookTimeout: 10_000,
    env: {
      LANCEDB_LOG: 'error',
      // The network guard in every Node process the tests start: forked engines, CLI children, helper scripts.
      NODE_OPTIONS: noNetworkNodeOptions(process.env.NODE_OPTIONS),
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/support/noNetwork.ts', 'test/support/requireShared.ts'],
          // The shared index of the three feeds, built once before any file, outside the tests' time limits.
          globalSetup: ['test/support/sharedIndexSetup.ts'],
          // Real engine processes, CLI children, native runtimes; hooks may build the shared index of the feeds.
          testTimeout: ENGINE_TIMEOUT_MS,
          hookTimeout: INDEX_BUILD_TIMEOUT_MS,
          sequence: { groupOrder: 1 },
        },
      },
      // Component tests of the renderer: jsdom and Svelte's browser build (its own config).
      'vitest.renderer.config.ts',
      // End to end: `guichet serve` with the real engine, driven in Debian's Chromium; one file, one test at a time.
      // A real-engine test takes up to ~2 min on a busy 2-vCPU machine: timeouts hold at 3× that.
      // (`extends` concatenates arrays: the root's include and globalSetup are kept, the other folders excluded.)
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/unit/**', 'test/integration/**', 'test/renderer/**'],
          setupFiles: ['test/support/noNetwork.ts', 'test/support/requireShared.ts'],
          globalSetup: ['test/e2e/support/buildRenderer.ts'],
          testTimeout: 420_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
