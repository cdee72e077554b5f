import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeed } from '../../assistant/knowledge/feedLoader.js';
import { KnowledgeBase } from '../../assistant/knowledge/knowledgeBase.js';
import { openPassageEncoder } from '../../assistant/knowledge/passageEncoderFactory.js';
import { median, percentile, type BenchSection } from './benchReport.js';

const SHARED = new URL('../../../shared/', import.meta.url);
const FEEDS = ['part', 'pro', 'asso'].map((name) => new URL(`corpus/dila/vosdroits-${name}-2020-11-12.zip`, SHARED).pathname);
const EMBEDDER = new URL('models/embedder-synthetic-minilm', SHARED).pathname;

/** Import of the three DILA feeds, index size, cold open, full-text and hybrid search latency. */
export async function corpusBench(): Promise<BenchSection[]> {
  const work = await mkdtemp(join(tmpdir(), 'guichet-bench-'));
  try {
    const dataDir = join(work, 'fulltext');
    const importSection = await benchImport(dataDir);
    const queries = await benchQueries();
    const fulltext = await benchSearch(dataDir, queries, undefined);
    const hybrid = await benchHybrid(join(work, 'hybrid'), dataDir, queries);
    importSection.figures.push({ name: 'RSS maximal du processus', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'Mio' });
    return [importSection, fulltext, hybrid];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function benchImport(dataDir: string): Promise<BenchSection> {
  const kb = KnowledgeBase.create(dataDir);
  const started = performance.now();
  let parseMs = 0;
  let fiches = 0;
  for (const feed of FEEDS) {
    const parseStart = performance.now();
    const content = await loadFeed(feed, { dataDir, allowDownloads: false });
    parseMs += performance.now() - parseStart;
    fiches += content.fiches.length;
    await kb.importFeeds([content]);
  }
  const seconds = (performance.now() - started) / 1000;
  const info = await kb.info();
  kb.close();
  const opens: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = KnowledgeBase.create(dataDir);
    const start = performance.now();
    await fresh.search({ query: 'passeport', k: 1 });
    opens.push(performance.now() - start);
    fresh.close();
  }
  return {
    title: 'Corpus : import des trois flux DILA (lecture + découpage + index plein texte, sans vecteurs)',
    figures: [
      { name: 'import total', value: seconds, unit: 's', target: '≤ 60 s' },
      { name: 'dont lecture XML', value: parseMs / 1000, unit: 's' },
      { name: 'débit', value: Math.round(fiches / seconds), unit: 'fiches/s' },
      { name: 'fiches', value: info?.manifest.counts.fiches ?? 0, unit: '' },
      { name: 'passages', value: info?.manifest.counts.chunks ?? 0, unit: '' },
      { name: 'taille de l’index', value: Math.round((info?.sizeBytes ?? 0) / 2 ** 20), unit: 'Mio' },
      { name: 'ouverture à froid + 1re recherche (médiane)', value: median(opens), unit: 'ms' },
    ],
  };
}

async function benchSearch(dataDir: string, queries: string[], encoderPath: string | undefined): Promise<BenchSection> {
  const encoder = encoderPath ? await openPassageEncoder(encoderPath, { threads: 1 }) : undefined;
  const kb = KnowledgeBase.create(dataDir, encoder);
  // Steady state, as on an agent's PC that searches all day: one pass to fill LanceDB's caches, then the measure.
  for (const query of queries) await kb.search({ query, k: 5 });
  const latencies: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    await kb.search({ query, k: 5 });
    latencies.push(performance.now() - start);
  }
  kb.close();
  await encoder?.dispose();
  const mode = encoderPath ? 'hybride' : 'plein texte';
  return {
    title: `Recherche ${mode} : ${queries.length} questions sur l’index complet (après un tour de chauffe)`,
    figures: [
      { name: 'p50', value: percentile(latencies, 50), unit: 'ms' },
      { name: 'p95', value: percentile(latencies, 95), unit: 'ms', target: encoderPath ? '≤ 20 ms' : '≤ 10 ms' },
    ],
  };
}

async function benchHybrid(dataDir: string, fulltextDir: string, queries: string[]): Promise<BenchSection> {
  // The same index, then every passage embedded once (as `guichet corpus embed` does).
  await cp(fulltextDir, dataDir, { recursive: true });
  const encoder = await openPassageEncoder(EMBEDDER, { threads: 2 });
  const kb = KnowledgeBase.create(dataDir, encoder);
  const start = performance.now();
  const report = await kb.reembed();
  const seconds = (performance.now() - start) / 1000;
  kb.close();
  await encoder.dispose();
  const section = await benchSearch(dataDir, queries, EMBEDDER);
  section.figures.push({ name: 'vectorisation de tous les passages (embedder synthétique)', value: seconds, unit: 's' });
  section.figures.push({ name: 'débit de vectorisation', value: Math.round(report.manifest.counts.chunks / seconds), unit: 'passages/s' });
  section.notes = ["L'embedder de test n'est pas entraîné : la qualité hybride se mesure avec un vrai modèle (guichet eval)."];
  return section;
}

/** 200+ real questions: PIAF's annotated questions, the citizen queries of service-public.fr's search and autocomplete. */
async function benchQueries(): Promise<string[]> {
  const piaf = JSON.parse(await readFile(new URL('eval/piaf/filtered_spf_qr_test.json', SHARED), 'utf8')) as {
    data: { paragraphs: { qas: { question: string }[] }[] }[];
  };
  const citizens = JSON.parse(await readFile(new URL('eval/piaf/service-public_search_evaluation_questions.json', SHARED), 'utf8')) as { query: string }[];
  const csv = await readFile(new URL('eval/piaf/manual_question_autocomplete.csv', SHARED), 'utf8');
  const autocomplete = csv.split('\n').slice(1).map((line) => line.match(/^"([^"]+)"/)?.[1]).filter((q): q is string => Boolean(q));
  return [
    ...piaf.data.flatMap((d) => d.paragraphs.flatMap((p) => p.qas.map((q) => q.question))),
    ...citizens.map((c) => c.query),
    ...autocomplete,
  ];
}
