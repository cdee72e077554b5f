import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where Linux exposes the processor's energy counters (Intel RAPL; AMD's through the same powercap driver). */
export const POWERCAP_ROOT = '/sys/class/powercap';

/** One package's counter, read once. */
export interface EnergyZoneReading {
  /** `intel-rapl:0`, `amd-rapl:0`… */
  zone: string;
  /** The zone's own name (`package-0`…). */
  name: string;
  /** Counter, microjoules; wraps at `maxMicrojoules`. */
  microjoules: number;
  maxMicrojoules: number;
}

/** Every package counter at one instant; `null` when none is readable (no RAPL, or root-only as on most distributions). */
export type EnergyReading = EnergyZoneReading[] | null;

/** A top-level package zone: `intel-rapl:0`, never its sub-zones (`intel-rapl:0:0`, cores), which it already counts. */
const PACKAGE_ZONE = /^(?:intel-rapl|amd-rapl):\d+$/u;

/**
 * Reads the package energy counters under `root`. Unreadable files (permissions: since 2020 the counters are
 * readable by root only unless IT allows them) make the reading `null`: the caller then estimates.
 */
export async function readEnergy(root: string = POWERCAP_ROOT): Promise<EnergyReading> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    return null;
  }
  const zones: EnergyZoneReading[] = [];
  for (const zone of entries.filter((entry) => PACKAGE_ZONE.test(entry)).sort()) {
    try {
      const [energy, max, name] = await Promise.all(
        ['energy_uj', 'max_energy_range_uj', 'name'].map((file) => readFile(join(root, zone, file), 'utf8').then((text) => text.trim())),
      );
      const microjoules = Number(energy);
      const maxMicrojoules = Number(max);
      if (!Number.isFinite(microjoules) || !Number.isFinite(maxMicrojoules)) return null;
      zones.push({ zone, name: name ?? zone, microjoules, maxMicrojoules });
    } catch {
      return null;
    }
  }
  return zones.length > 0 ? zones : null;
}

/**
 * Energy spent between two readings, joules, summed over packages; a counter that wrapped around once is
 * counted through its maximum. `null` when either reading is missing or the zones differ.
 */
export function energyBetween(before: EnergyReading, after: EnergyReading): number | null {
  if (!before || !after || before.length !== after.length) return null;
  let microjoules = 0;
  for (const [index, start] of before.entries()) {
    const end = after[index];
    if (!end || end.zone !== start.zone) return null;
    microjoules += end.microjoules >= start.microjoules ? end.microjoules - start.microjoules : end.maxMicrojoules - start.microjoules + end.microjoules;
  }
  return microjoules / 1e6;
}
