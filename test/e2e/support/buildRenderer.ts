/** The e2e tests serve the built renderer: build it once before them when missing or stale, as `guichet serve` does. */
import { ensureRenderer } from '../../../scripts/commands/rendererBuild.js';

export default async function setup(): Promise<void> {
  await ensureRenderer((line) => process.stderr.write(`${line}\n`));
}
