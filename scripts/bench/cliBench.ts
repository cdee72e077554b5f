import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { median, type BenchSection } from './benchReport.js';

const run = promisify(execFile);
const BIN = new URL('../bin/guichet.js', import.meta.url).pathname;
const SHARED = new URL('../../../shared/', import.meta.url);
const RUNS = 5;

/**
 * Start-up of the `guichet` command as an agent or a script meets it, end to end (a new process each time, the engine
 * process included): `--help`, `search` and `ask --no-model` on the full index of the three DILA feeds.
 * Medians of 5, after one warm-up run that also builds the compiled JavaScript if needed.
 */
export async function cliBench(): Promise<BenchSection[]> {
  const work = await mkdtemp(join(tmpdir(), 'guichet-bench-cli-'));
  try {
    const dataDir = join(work, 'data');
    for (const feed of ['part', 'pro', 'asso']) {
      await run(process.execPath, [BIN, '--data-dir', dataDir, '--json', 'corpus', 'import', '--from', new URL(`corpus/dila/vosdroits-${feed}-2020-11-12.zip`, SHARED).pathname], { maxBuffer: 64 * 2 ** 20 });
    }
    if (!existsSync(join(dataDir, 'index', 'CURRENT'))) throw new Error('index non construit');
    const help = await timed([BIN, '--help']);
    const search = await timed([BIN, '--data-dir', dataDir, '--json', 'search', "carte d'identité pour un enfant de 12 ans"]);
    const ask = await timed([BIN, '--data-dir', dataDir, '--json', 'ask', "carte d'identité pour un enfant de 12 ans", '--no-model']);
    return [
      {
        title: 'Démarrage de la commande guichet (médianes de 5, processus neuf à chaque fois)',
        figures: [
          { name: 'guichet --help', value: help, unit: 'ms', target: '≤ 500 ms' },
          { name: 'guichet search (index complet)', value: search, unit: 'ms', target: '≤ 1 500 ms' },
          { name: 'guichet ask --no-model (index complet)', value: ask, unit: 'ms', target: '≤ 2 000 ms' },
        ],
        notes: ['Chaque commande sauf --help démarre le processus moteur, ouvre l’index et répond : c’est ce que l’agent attend.'],
      },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function timed(args: string[]): Promise<number> {
  await run(process.execPath, args, { maxBuffer: 64 * 2 ** 20 });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(process.execPath, args, { maxBuffer: 64 * 2 ** 20 });
    times.push(performance.now() - started);
  }
  return Math.round(median(times));
}
