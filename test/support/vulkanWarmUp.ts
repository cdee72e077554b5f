import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineHost } from '../../assistant/host/engineHost.js';
import { forkEngineSpawner } from '../../assistant/host/engineProcess.js';
import { sharedFile } from './sharedData.js';

/**
 * The first Vulkan pass of a machine compiles Mesa's shaders into ~/.cache/mesa_shader_cache: 20–25 s on a quiet
 * machine, over 7 minutes measured at a load average of 18. Paid here, once, in a hook with its own limit
 * (DEVICE_WARM_UP_TIMEOUT_MS), so that each Vulkan test's limit covers its own work; without it a test killed during
 * the compile leaves no cache, and the next one compiles again. Loads stories260K on lavapipe and writes from a
 * prompt long enough to be read in batches, as the tests and `auto`'s measurement do. Quick once the cache is warm.
 */
export async function warmUpVulkan(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'guichet-vulkan-warm-up-'));
  const host = new EngineHost({ spawn: forkEngineSpawner({ config: { dataDir }, env: { ...process.env, GGML_VK_VISIBLE_DEVICES: '0' } }) });
  try {
    await host.call('models.load', { path: sharedFile('models/stories260K.gguf'), threads: 1, gpu: 'vulkan' });
    const prompt = 'Once upon a time a little cat played in the garden with a dog. '.repeat(12);
    await host.call('generate', { messages: [{ role: 'user', text: prompt }], maxTokens: 4, temperature: 0 });
  } finally {
    await host.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}
