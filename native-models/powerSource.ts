import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether the PC runs on its battery now: speculative work is off then, it would drain it for a guess. */
export interface PowerSource {
  onBattery(): Promise<boolean>;
}

/** Linux's power supplies. */
export const LINUX_POWER_SUPPLY = '/sys/class/power_supply';

/**
 * The power source from Linux's sysfs (`<root>/<supply>/type` and `status`, `online`): on battery when a battery
 * discharges and no mains adapter is online. No sysfs (Windows, macOS, a container) or an unreadable entry: not on
 * battery — a desktop PC has no battery, and a doubt must not turn the feature off for everyone.
 */
export function sysfsPowerSource(root: string = LINUX_POWER_SUPPLY): PowerSource {
  return {
    async onBattery() {
      const supplies = await readdir(root).catch(() => [] as string[]);
      let discharging = false;
      for (const supply of supplies) {
        const type = await field(root, supply, 'type');
        if (type === 'Mains' && (await field(root, supply, 'online')) === '1') return false;
        // A wireless mouse's or headset's battery (`scope` Device) says nothing of the PC's power.
        if (type !== 'Battery' || (await field(root, supply, 'scope')) === 'Device') continue;
        if ((await field(root, supply, 'status')) === 'Discharging') discharging = true;
      }
      return discharging;
    },
  };
}

async function field(root: string, supply: string, name: string): Promise<string | undefined> {
  return (await readFile(join(root, supply, name), 'utf8').catch(() => undefined))?.trim();
}
