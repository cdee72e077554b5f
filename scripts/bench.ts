/**
 * `npm run bench`: measures what matters on this machine and prints a table, then writes bench-results/bench-<date>.json.
 * Not a test: figures are medians and ratios on a shared, noisy machine. `npm run bench -- corpus search` runs some parts.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { frenchNumber } from '../assistant/contract/frenchNumbers.js';
import { formatSection, machineFacts, type BenchSection } from './bench/benchReport.js';

type BenchPart = () => Promise<BenchSection[]>;

const PARTS: Record<string, () => Promise<BenchPart>> = {
  corpus: async () => (await import('./bench/corpusBench.js')).corpusBench,
  generation: async () => (await import('./bench/generationBench.js')).generationBench,
  devices: async () => (await import('./bench/deviceBench.js')).deviceBench,
  cli: async () => (await import('./bench/cliBench.js')).cliBench,
  interface: async () => (await import('./bench/interfaceBench.js')).interfaceBench,
  ttft: async () => (await import('./bench/ttftBench.js')).ttftBench,
};

async function runBench(selected: string[]): Promise<void> {
  const names = selected.length > 0 ? selected : Object.keys(PARTS);
  const machine = machineFacts();
  console.log(`Machine : ${machine.cpu}, ${machine.cores} cœurs, ${frenchNumber(machine.ramGiB)} Gio, Node ${machine.node}`);
  const sections: BenchSection[] = [];
  for (const name of names) {
    const load = PARTS[name];
    if (!load) throw new Error(`Partie de banc inconnue : ${name} (connues : ${Object.keys(PARTS).join(', ')})`);
    for (const section of await (await load())()) {
      sections.push(section);
      console.log(formatSection(section));
    }
  }
  await mkdir('bench-results', { recursive: true });
  const file = `bench-results/bench-${machine.date.replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify({ machine, sections }, null, 2)}\n`);
  console.log(`Résultats écrits dans ${file}`);
}

await runBench(process.argv.slice(2));
