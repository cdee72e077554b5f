import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Setup of the integration and end-to-end tests, which read the real feeds and models in ../shared: a missing
 * fixture is an error, never a skip. What is needed is listed once, in scripts/bin/check-shared.js (also run by
 * .ci/run); its French message becomes the error of every such test file. A setup file rather than a global setup:
 * vitest starts all global setups before any test, so one failing there would stop the unit tests too, which need
 * none of ../shared.
 */
const CHECK_SHARED = fileURLToPath(new URL('../../scripts/bin/check-shared.js', import.meta.url));
const check = spawnSync(process.execPath, [CHECK_SHARED], { encoding: 'utf8' });
if (check.status !== 0) throw new Error(check.stderr.trim() || `${CHECK_SHARED} a échoué (code ${check.status}).`);
