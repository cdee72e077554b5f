/** `--import` of the network guard, as a file URL: no quoting needed whatever the clone's path. */
export const NO_NETWORK_IMPORT = `--import=${new URL('./noNetworkPreload.mjs', import.meta.url).href}`;

/** NODE_OPTIONS that load the network guard in every Node process started with them, keeping what was there. */
export function noNetworkNodeOptions(current: string | undefined): string {
  if (current?.includes(NO_NETWORK_IMPORT)) return current;
  return [current, NO_NETWORK_IMPORT].filter(Boolean).join(' ');
}
