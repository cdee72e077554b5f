/** Types of noNetworkPreload.mjs (plain JavaScript, loaded through NODE_OPTIONS before any TypeScript loader). */
export declare const NETWORK_FORBIDDEN: string;
export declare const NETWORK_FORBIDDEN_CODE: string;
