import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/noNetwork.ts'],
    // Integration tests load native engines (LanceDB, llama.cpp) and share one built index: files run one at a time
    // on this 2-vCPU machine, tests inside a file stay sequential.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    env: { LANCEDB_LOG: 'error' },
    projects: [
      { extends: true, test: { name: 'node', exclude: ['**/node_modules/**', 'test/renderer/**', 'test/e2e/**'] } },
      'renderer/vitest.config.ts',
      // End to end: `guichet serve` with the real engine, driven in Debian's Chromium; one file, one test at a time.
      // A real-engine test takes up to ~2 min on a busy 2-vCPU machine: timeouts hold at 3× that.
      // (`extends` concatenates arrays: the root's include and globalSetup are kept, the other folders excluded.)
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/unit/**', 'test/integration/**', 'test/renderer/**'],
          globalSetup: ['test/e2e/support/buildRenderer.ts'],
          testTimeout: 420_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
