import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sysfsPowerSource } from '../../native-models/powerSource.js';

const roots: string[] = [];

/** A fake `/sys/class/power_supply`: one folder per supply, one file per field. */
async function sysfs(supplies: Record<string, Record<string, string>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'guichet-power-'));
  roots.push(root);
  for (const [name, fields] of Object.entries(supplies)) {
    await mkdir(join(root, name));
    for (const [field, value] of Object.entries(fields)) await writeFile(join(root, name, field), `${value}\n`);
  }
  return root;
}

afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

describe('power source (Linux sysfs)', () => {
  it('a laptop unplugged: on battery', async () => {
    const root = await sysfs({ AC: { type: 'Mains', online: '0' }, BAT0: { type: 'Battery', status: 'Discharging' } });
    expect(await sysfsPowerSource(root).onBattery()).toBe(true);
  });

  it('a laptop plugged in, charging or full: not on battery', async () => {
    for (const status of ['Charging', 'Full', 'Not charging']) {
      const root = await sysfs({ AC: { type: 'Mains', online: '1' }, BAT0: { type: 'Battery', status } });
      expect(await sysfsPowerSource(root).onBattery()).toBe(false);
    }
  });

  it('mains online wins over a battery that says it discharges (some firmwares report both)', async () => {
    const root = await sysfs({ BAT1: { type: 'Battery', status: 'Discharging' }, ADP1: { type: 'Mains', online: '1' } });
    expect(await sysfsPowerSource(root).onBattery()).toBe(false);
  });

  it('a desktop (no battery, a mouse battery only) or no sysfs at all: not on battery', async () => {
    const desktop = await sysfs({ hidpp_battery_0: { type: 'Battery', status: 'Discharging', scope: 'Device' } });
    expect(await sysfsPowerSource(desktop).onBattery()).toBe(false);
    expect(await sysfsPowerSource(join(desktop, 'absent')).onBattery()).toBe(false);
  });
});
