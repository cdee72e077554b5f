#!/usr/bin/env node
// The `guichet` command as the tests compose it: the same compiled program, with the machine policy's path given as
// the first argument (`--politique <fichier>`) instead of the OS's fixed one. Never shipped: no user can point the
// policy elsewhere.
import { join } from 'node:path';
import { compiled, SCRIPTS } from '../../scripts/bin/compiled.js';

process.env.LANCEDB_LOG ??= 'error';
const { main } = await import(await compiled(join(SCRIPTS, 'guichet.ts')));
const argv = [...process.argv];
let policyPath = '/nonexistent/guichet-test-policy.json';
if (argv[2] === '--politique') {
  policyPath = argv[3];
  argv.splice(2, 2);
}
process.exitCode = await main(argv, { policyPath });
