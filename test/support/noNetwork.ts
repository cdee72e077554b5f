/**
 * Every test runs offline: any outbound connection that is not loopback fails at once, so that code which would
 * reach the network at run time is caught here rather than on an agent's PC. The guard itself is
 * noNetworkPreload.mjs: imported here for the vitest worker, and handed to every process a test starts (forked
 * engines, `guichet` CLI children, helper scripts) through NODE_OPTIONS — set by vitest.config.ts, and again here in
 * case a worker was started without it.
 */
import './noNetworkPreload.mjs';
import { noNetworkNodeOptions } from './noNetworkOptions.js';

process.env.NODE_OPTIONS = noNetworkNodeOptions(process.env.NODE_OPTIONS);
