/**
 * Time limits of the tests that drive real engine processes, real devices and real CLI children. A limit is a hang
 * detector, never a speed check: each holds at 3× the longest duration measured on a cold, loaded machine (cold
 * Mesa shader cache, both vCPUs kept busy by `stress-ng --cpu 2`, other work alongside). Speed is measured by
 * `npm run bench`. The measurements behind each figure are in the comment above it; re-measure with
 * `npx vitest run --reporter=verbose <file>` after `rm -rf ~/.cache/mesa_shader_cache` under load.
 */

/**
 * A test that starts an engine process (or a `guichet` CLI child that starts one) and loads the tiny CPU models.
 * Longest measured: 12 s quiet, 33 s loaded (a CLI `models test`, three Node processes through tsx).
 */
export const ENGINE_TIMEOUT_MS = 120_000;

/**
 * A test on the real Vulkan device (lavapipe), whose first pass compiles Mesa's shaders (20–25 s on a cold cache)
 * in each engine process that has no cache yet. Longest measured: 43 s cold quiet, 75 s cold loaded.
 */
export const DEVICE_TIMEOUT_MS = 300_000;

/**
 * A test or hook that may build the shared index of the three DILA feeds (test/support/sharedIndex.ts) when it is
 * the first of the run to need it. Measured: about 60 s quiet, 75–100 s loaded.
 */
export const INDEX_BUILD_TIMEOUT_MS = 360_000;

/** A `guichet` CLI child is killed past this, so that a hung child fails its test instead of outliving it. */
export const CLI_CHILD_TIMEOUT_MS = ENGINE_TIMEOUT_MS - 10_000;
