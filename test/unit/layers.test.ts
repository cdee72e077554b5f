import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Layers import downward only (../shared/design/architecture.md); native libraries stay in their layer. */
const ROOT = resolve(import.meta.dirname, '../..');
const LAYERS = ['corpus', 'native-models', 'remote-models', 'assistant', 'electron', 'server', 'renderer', 'scripts'] as const;
type Layer = (typeof LAYERS)[number];

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  corpus: [],
  'native-models': [],
  // The shared-server runtime implements the runtime layer's interface: it may use its types, nothing else.
  'remote-models': ['native-models'],
  assistant: ['corpus', 'native-models', 'remote-models'],
  electron: ['assistant'],
  server: ['assistant'],
  renderer: ['assistant'],
  scripts: ['assistant', 'server'],
};
const NATIVE_OWNERS: Record<string, Layer> = {
  'node-llama-cpp': 'native-models',
  '@huggingface/transformers': 'native-models',
  '@lancedb/lancedb': 'corpus',
  'apache-arrow': 'corpus',
  openai: 'remote-models',
};

function sourceFiles(folder: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry) ? [path] : [];
  });
}

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(pattern)].map((match) => ({ specifier: match[3] ?? match[4] ?? '', typeOnly: Boolean(match[2]) }));
}

function violations(): string[] {
  const found: string[] = [];
  for (const layer of LAYERS) {
    for (const file of sourceFiles(join(ROOT, layer))) {
      const where = relative(ROOT, file);
      for (const { specifier, typeOnly } of importsOf(file)) {
        if (specifier.startsWith('.')) {
          const target = relative(ROOT, resolve(file, '..', specifier)).split(sep)[0] as Layer;
          if (!LAYERS.includes(target) || target === layer) continue;
          if (!MAY_IMPORT[layer].includes(target)) found.push(`${where} → ${specifier}`);
          else if (layer === 'remote-models' && !typeOnly) found.push(`${where} → ${specifier} (remote-models n'importe que des types de native-models)`);
          // The renderer loads the contract layer (held browser-safe below) and only types of the rest.
          else if (layer === 'renderer' && !typeOnly && !relative(ROOT, resolve(file, '..', specifier)).startsWith(`assistant${sep}contract${sep}`)) {
            found.push(`${where} → ${specifier} (le renderer n'importe que des types, et la couche contrat)`);
          }
          continue;
        }
        const owner = Object.entries(NATIVE_OWNERS).find(([pkg]) => specifier === pkg || specifier.startsWith(`${pkg}/`));
        if (owner && owner[1] !== layer) found.push(`${where} → ${specifier} (réservé à ${owner[1]}/)`);
        if (layer === 'renderer' && (specifier.startsWith('node:') || specifier === 'electron')) found.push(`${where} → ${specifier}`);
      }
    }
  }
  return found;
}

/** Files outside the contract layer that it may load at run time: plain classes and constants, no Node, no package. */
const BROWSER_SAFE_DEPENDENCIES = [
  'corpus/fiche.ts',
  'corpus/corpusError.ts',
  'native-models/modelError.ts',
  'remote-models/remoteModelError.ts',
  'assistant/assistantError.ts',
  'assistant/download/downloadError.ts',
  'assistant/history/historyError.ts',
  'assistant/replies/replyError.ts',
  'assistant/settings/settingsError.ts',
  'assistant/replies/replyEntry.ts',
];
const NODE_GLOBALS = /\b(process\.|Buffer\.|setImmediate\(|require\(|__dirname)/;

/** Every file the contract layer loads at run time (value imports, followed), with what each breaks of browser safety. */
function contractClosure(): { files: string[]; problems: string[] } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const queue = sourceFiles(join(ROOT, 'assistant/contract'));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const where = relative(ROOT, file);
    if (!where.startsWith(`assistant${sep}contract${sep}`) && !BROWSER_SAFE_DEPENDENCIES.includes(where.split(sep).join('/'))) problems.push(`${where} (hors de la liste sûre pour le navigateur)`);
    if (NODE_GLOBALS.test(readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))) problems.push(`${where} (global de Node)`);
    for (const { specifier, typeOnly } of importsOf(file)) {
      if (typeOnly) continue;
      if (specifier.startsWith('.')) queue.push(resolve(file, '..', specifier).replace(/\.js$/, '.ts'));
      else if (specifier !== 'zod') problems.push(`${where} → ${specifier}`);
    }
  }
  return { files: [...seen], problems };
}

/** Inside `assistant/`, the folder says where code runs: the host never loads the engine's code, nor the reverse. */
function assistantFolderViolations(): string[] {
  const found: string[] = [];
  const rules: [string, string][] = [['assistant/host', 'assistant/engine'], ['assistant/engine', 'assistant/host']];
  for (const [from, forbidden] of rules) {
    for (const file of sourceFiles(join(ROOT, from))) {
      for (const { specifier } of importsOf(file)) {
        if (specifier.startsWith('.') && relative(ROOT, resolve(file, '..', specifier)).startsWith(forbidden)) found.push(`${relative(ROOT, file)} → ${specifier}`);
      }
    }
  }
  return found;
}

describe('layering', () => {
  it('the contract layer runs unchanged in a browser: no Node import, no Node global, no package but zod', () => {
    const { files, problems } = contractClosure();
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThan(10);
  });

  it('host and engine folders do not load each other', () => {
    expect(assistantFolderViolations()).toEqual([]);
  });

  it('imports point downward only and native libraries stay in their layer', () => {
    expect(violations()).toEqual([]);
  });

  it('sees the layers it checks', () => {
    expect(sourceFiles(join(ROOT, 'corpus')).length).toBeGreaterThan(3);
    expect(importsOf(join(ROOT, 'corpus/search/ficheSearch.ts')).some((i) => i.specifier === './fusion.js')).toBe(true);
  });
});
