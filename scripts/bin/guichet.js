#!/usr/bin/env node
// Entry point of the `guichet` command: runs the TypeScript sources through tsx, no build step.
process.env.LANCEDB_LOG ??= 'error';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../guichet.ts');
process.exitCode = await main(process.argv);
