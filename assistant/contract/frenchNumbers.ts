/**
 * French number formatting for what agents and IT read (interface, CLI, reports): one place for every figure.
 * Browser-safe (the contract layer): the renderer uses it too.
 */
const formats = new Map<string, Intl.NumberFormat>();

function format(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let found = formats.get(key);
  if (!found) formats.set(key, (found = new Intl.NumberFormat('fr-FR', options)));
  return found;
}

/** « 1 234,5 »: at most `decimals` decimals (default 1). */
export function frenchNumber(value: number, decimals = 1): string {
  return format({ maximumFractionDigits: decimals }).format(value);
}

/** « 0,780 »: exactly `decimals` decimals. */
export function frenchFixed(value: number, decimals: number): string {
  return format({ minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}

/** A share 0–1 as « 42,5 % »; `—` for `null` (nothing to measure). */
export function frenchPercent(share: number | null, decimals = 1): string {
  return share === null ? '—' : format({ style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(share);
}

/** Bytes as « 1,2 Gio », « 350 Mio », « 1,2 Mio » (binary units, as the deployment guide writes them). */
export function frenchBytes(bytes: number): string {
  const [value, unit] = bytes >= 2 ** 30 ? [bytes / 2 ** 30, 'Gio'] : bytes >= 2 ** 20 ? [bytes / 2 ** 20, 'Mio'] : [bytes / 2 ** 10, 'Kio'];
  return `${frenchNumber(value, unit === 'Gio' || value < 10 ? 1 : 0)} ${unit}`;
}

/** Milliseconds as « 850 ms », « 2,4 s », « 3 min 10 s »; `—` for `null`. */
export function frenchDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${frenchNumber(ms, 0)} ms`;
  if (ms < 60_000) return `${frenchNumber(ms / 1000, 1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}
