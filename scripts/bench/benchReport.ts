import { cpus, totalmem } from 'node:os';
import { frenchFixed, frenchNumber } from '../../assistant/contract/frenchNumbers.js';

/** One figure of a benchmark: a name, a value and its unit; `target` when the issue sets one. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

/** The figures of one part of `npm run bench` (corpus, search, generation, embeddings…). */
export interface BenchSection {
  title: string;
  figures: BenchFigure[];
  notes?: string[];
}

export interface MachineFacts {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  date: string;
}

export function machineFacts(): MachineFacts {
  return {
    cpu: cpus()[0]?.model ?? 'inconnu',
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: new Date().toISOString(),
  };
}

/** Median of a sample (no mutation). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile, `p` in 0–100. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function formatSection(section: BenchSection): string {
  const width = Math.max(...section.figures.map((f) => f.name.length), 10);
  const lines = section.figures.map((f) => {
    const value = Number.isInteger(f.value) ? frenchNumber(f.value, 0) : frenchFixed(f.value, f.value < 10 ? 3 : 1);
    return `  ${f.name.padEnd(width)}  ${value.padStart(10)} ${f.unit}${f.target ? `   (cible : ${f.target})` : ''}`;
  });
  return [`== ${section.title}`, ...lines, ...(section.notes ?? []).map((n) => `  · ${n}`)].join('\n');
}
