import { existsSync } from 'node:fs';
import { DILA_FEEDS, sharedDir } from './sharedData.js';

/**
 * Global setup of the integration tests: the shared index of the three DILA feeds is built here, once, before any
 * test file and outside every test's time limit. Built from inside a test instead, a loaded machine (both cores busy,
 * load average 18 to 24) took longer than the test's limit, and the abandoned build went on while the next test
 * started another one in the same folder. Reused across runs while the corpus code and feeds are unchanged
 * (sharedIndex.ts). Without ../shared nothing is built: requireShared.ts then fails each integration file in French.
 */
export default async function setup(): Promise<void> {
  if (!Object.values(DILA_FEEDS).every((feed) => existsSync(sharedDir(feed)))) return;
  // The tests' `env` does not reach a global setup, which runs in vitest's own process: quiet LanceDB here too,
  // before its module loads.
  process.env.LANCEDB_LOG ??= 'error';
  const { sharedFullIndex } = await import('./sharedIndex.js');
  const started = Date.now();
  const dataDir = await sharedFullIndex();
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 1) process.stderr.write(`Index partagé des trois flux DILA construit en ${seconds} s : ${dataDir}\n`);
}
