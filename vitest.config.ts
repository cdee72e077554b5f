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
      { extends: true, test: { name: 'node', exclude: ['**/node_modules/**', 'test/renderer/**'] } },
      'renderer/vitest.config.ts',
    ],
  },
});
