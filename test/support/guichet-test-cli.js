#!/usr/bin/env node
// The `guichet` command as the tests compose it: the same program, with the machine policy's path given as the first
// argument (`--politique <fichier>`) instead of the OS's fixed one. Never shipped: no user can point the policy elsewhere.
process.env.LANCEDB_LOG ??= 'error';
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../../scripts/guichet.ts');
const argv = [...process.argv];
let policyPath = '/nonexistent/guichet-test-policy.json';
if (argv[2] === '--politique') {
  policyPath = argv[3];
  argv.splice(2, 2);
}
process.exitCode = await main(argv, { policyPath });
