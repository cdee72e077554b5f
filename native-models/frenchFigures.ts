/**
 * French figures in the runtime's messages (« 8 192 jetons », « 4,2 Gio »). The contract layer's frenchNumbers
 * module is the one for every shell; this layer imports nothing of ours, so it keeps these two, written the same way
 * (Intl fr-FR, binary units as the deployment guide writes them).
 */
const integer = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** « 8 192 »: a count (tokens, bytes). */
export function frenchCount(value: number): string {
  return integer.format(value);
}

/** « 4,2 Gio »: bytes in gibibytes, one decimal. */
export function frenchGib(bytes: number): string {
  return `${oneDecimal.format(bytes / 2 ** 30)} Gio`;
}
