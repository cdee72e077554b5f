#!/usr/bin/env node
// Entry point of the `guichet` command: runs the compiled JavaScript (built from the sources on first run or when they
// changed), never the TypeScript through a loader.
import { join } from 'node:path';
import { compiled, SCRIPTS } from './compiled.js';

process.env.LANCEDB_LOG ??= 'error';
const { main } = await import(await compiled(join(SCRIPTS, 'guichet.ts')));
process.exitCode = await main(process.argv);
