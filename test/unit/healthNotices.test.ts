import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { platformModule } from '../../assistant/engine/platformModule.js';
import { defaultSettings } from '../../assistant/settings/settingsSchema.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'guichet-health-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('health notices', () => {
  it('are the warnings about the PC (broken policy, history in plain), shown on every screen; the base’s own warnings stay in warnings only', async () => {
    const policyPath = join(folder, 'policy.json');
    await writeFile(policyPath, JSON.stringify({ 'runtime.thread': 4 }));
    const module = platformModule({
      kb: { info: async () => null } as never,
      runtime: { status: () => ({ state: 'empty' }) } as never,
      models: async () => ({}) as never,
      settings: defaultSettings(),
      settingsSources: { policyPath, userPath: join(folder, 'settings.json') },
      atRestWarning: 'Historique enregistré en clair.',
    });
    const health = await (module.handlers.health as (params: undefined, context: unknown) => Promise<{ notices: string[]; warnings: string[] }>)(undefined, {});
    expect(health.notices).toEqual([expect.stringMatching(/politique machine .* est invalide : clé inconnue « runtime\.thread »/), 'Historique enregistré en clair.']);
    expect(health.warnings).toEqual([...health.notices, expect.stringMatching(/Aucune fiche/)]);
  });
});
