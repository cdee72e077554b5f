/**
 * Time limits of the tests that drive real engine processes, real devices and real CLI children. A limit is a hang
 * detector, never a speed check: each holds at 3× the longest duration measured on a cold, loaded machine (cold
 * Mesa shader cache, the 2 vCPUs shared with other work: load average 8–10, or `stress-ng --cpu 2`). Speed is
 * measured by `npm run bench`. The measurements behind each figure are above it; to measure again:
 * `rm -rf ~/.cache/mesa_shader_cache`, load the machine, `npx vitest run --reporter=verbose <file>`.
 */

/**
 * Default of the integration tests: engine processes, `guichet` CLI children (each a Node process through tsx, often
 * starting an engine of its own), native runtimes. Quiet machine: 13 s at most. Loaded (load average 9): 94 s for
 * the longest (ask.test.ts « uses the installed model »: a copy of the index, two CLI children), 46 s for the next.
 */
export const ENGINE_TIMEOUT_MS = 300_000;

/**
 * A test on the real Vulkan device (lavapipe), once the shader cache is warm (vulkanWarmUp.ts). Quiet machine: 43 s
 * at most. Loaded (load average 9–12): 110 s (modelsCli.test.ts, `models test --gpu auto` measured, shown, re-used
 * and measured again: four CLI children).
 */
export const DEVICE_TIMEOUT_MS = 420_000;

/**
 * The hook that pays for the first Vulkan pass of the run (test/support/vulkanWarmUp.ts): Mesa's shader compile on a
 * cold cache. Quiet machine: 20–25 s. Measured over 420 s (the device limit, hit twice) at a load average of 18:
 * `stress-ng --cpu 2`, two benchmarks and other test suites on the same 2 vCPUs.
 */
export const DEVICE_WARM_UP_TIMEOUT_MS = 1_500_000;

/**
 * A hook or test that may build the shared index of the three DILA feeds (test/support/sharedIndex.ts) when it is
 * the first of the run to need it. Quiet machine: about 60 s. Loaded: 75–82 s.
 */
export const INDEX_BUILD_TIMEOUT_MS = 360_000;

/** A `guichet` CLI child is killed past this, so that a hung child fails its test instead of outliving it. */
export const CLI_CHILD_TIMEOUT_MS = ENGINE_TIMEOUT_MS - 10_000;

/**
 * A unit test that reads a whole installed corpus package (the 269 labour fiches converted from their HTML). Quiet
 * machine: about 2 s. Loaded (load average 9): 7–11 s, over the unit default of 10 s.
 */
export const PACKAGE_READ_TIMEOUT_MS = 40_000;

/**
 * `npm run package:check` in test/integration/packageCheck.test.ts: the desktop build (renderer through vite),
 * electron-builder copying ~400 MB of app and native modules, dpkg-deb, dpkg -i and -r. Loaded machine (load average
 * 6–8): 5 min 15 s for the check itself. 3× that.
 */
export const PACKAGE_CHECK_TIMEOUT_MS = 960_000;
