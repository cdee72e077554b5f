import type { EvalComparison } from '../../assistant/eval/evalResults.js';

/** A chart of the report: its French title and its drawing, inline SVG. */
export interface ReportChart {
  title: string;
  caption: string;
  svg: string;
}

type VegaLiteSpec = Record<string, unknown>;

const CONFIG = {
  // Vega writes English ARIA descriptions of every mark: off; each SVG is named by its French title instead.
  aria: false,
  font: 'Arial, Helvetica, sans-serif',
  background: '#ffffff',
  axis: { labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal', labelColor: '#3a3a3a', titleColor: '#3a3a3a', gridColor: '#e5e5e5' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', labelLimit: 400 },
  view: { stroke: null },
  // French numbers on the axes: « 1,5 », « 1 000 », « 50 % ».
  locale: { number: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'], percent: '\u202f%' } },
  range: { category: ['#000091', '#c9191e', '#18753c', '#b34000', '#6a6af4', '#695240', '#a558a0', '#417dc4'] },
};

/** The name of a model in the charts: its file, with the PC when several PCs are compared. */
export function seriesName(comparison: EvalComparison, runIndex: number, fileName: string): string {
  return comparison.runs.length > 1 ? `${fileName} — ${comparison.runs[runIndex]!.results.machine.label}` : fileName;
}

/** The report's charts, drawn with Vega-Lite into static SVG (no script in the page, no network). */
export async function reportCharts(comparison: EvalComparison): Promise<ReportChart[]> {
  const models = comparison.runs.flatMap((run, runIndex) => run.results.models.map((model) => ({ model, series: seriesName(comparison, runIndex, model.fileName) })));
  const estimated = models.some(({ model }) => model.summary.energyJoules.source === 'estimation');
  const quality = models.map(({ model, series }) => ({
    series,
    ttft: (model.summary.ttftMs?.p50 ?? 0) / 1000,
    citesGold: model.summary.citesGold ?? 0,
    facts: model.summary.factsFound ?? 0,
  }));
  const latencies = models.flatMap(({ model, series }) => model.answers.filter((a) => a.timings.ttftMs !== null).map((a) => ({ series, ttft: a.timings.ttftMs! / 1000 })));
  const split = models.flatMap(({ model, series }) => [
    { series, part: '1. recherche', order: 1, seconds: model.summary.searchMs.p50 / 1000 },
    { series, part: '2. lecture du prompt', order: 2, seconds: (model.summary.promptReadMs?.p50 ?? 0) / 1000 },
    { series, part: '3. premier mot', order: 3, seconds: (model.summary.firstTokenMs?.p50 ?? 0) / 1000 },
  ]);
  const energy = models.map(({ model, series }) => ({ series, joules: model.summary.energyJoules.p50, source: model.summary.energyJoules.source === 'rapl' ? 'mesure RAPL' : 'estimation' }));
  const width = 620;
  const rowHeight = Math.max(28, Math.min(48, 220 / Math.max(1, models.length)));
  const specs: { title: string; caption: string; spec: VegaLiteSpec }[] = [
    {
      title: 'Qualité et rapidité',
      caption: "Chaque point est un modèle : plus il est haut, plus ses brouillons citent la fiche attendue ; plus il est à gauche, plus l'agent attend peu le premier mot.",
      spec: {
        width,
        height: 300,
        data: { values: quality },
        layer: [
          { mark: { type: 'point', filled: true, size: 140 }, encoding: { color: { field: 'series', type: 'nominal', legend: null, sort: null } } },
          { mark: { type: 'text', dx: 10, align: 'left', fontSize: 12 }, encoding: { text: { field: 'series' } } },
        ],
        encoding: {
          x: { field: 'ttft', type: 'quantitative', title: 'Délai médian avant le premier mot (s)', scale: { zero: true, nice: true } },
          // A little room under 0 % and over 100 %: points on the bounds stay clear of the axis.
          y: { field: 'citesGold', type: 'quantitative', title: 'Brouillons citant la fiche attendue', scale: { domain: [-0.04, 1.04] }, axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 1] } },
        },
      },
    },
    {
      title: 'Délai avant le premier mot, question par question',
      caption: 'Chaque trait est une question ; la boîte va du premier au troisième quartile, la ligne fine de la plus rapide à la plus lente.',
      spec: {
        width,
        height: rowHeight * models.length,
        data: { values: latencies },
        layer: [
          { mark: { type: 'boxplot', extent: 'min-max', size: Math.round(rowHeight * 0.6), opacity: 0.35 } },
          { mark: { type: 'tick', thickness: 2, size: Math.round(rowHeight * 0.7) } },
        ],
        encoding: {
          y: { field: 'series', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } },
          x: { field: 'ttft', type: 'quantitative', title: 'Secondes, de la question au premier mot du brouillon', scale: { zero: true } },
          color: { field: 'series', type: 'nominal', legend: null, sort: null },
        },
      },
    },
    {
      title: "D'où vient l'attente",
      caption: 'Médianes : recherche dans les fiches, lecture des extraits par le modèle, calcul du premier mot.',
      spec: {
        width,
        height: rowHeight * models.length,
        data: { values: split },
        mark: 'bar',
        encoding: {
          y: { field: 'series', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } },
          x: { field: 'seconds', type: 'quantitative', title: 'Secondes (médiane)', stack: 'zero' },
          color: { field: 'part', type: 'nominal', title: 'Étape', scale: { range: ['#6a6af4', '#000091', '#c9191e'] } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    },
    {
      title: 'Énergie par réponse',
      caption: estimated
        ? 'Estimation : temps de calcul du moteur × puissance déclarée du processeur (--watts), faute de compteurs RAPL lisibles sur ce poste.'
        : 'Mesure des compteurs RAPL du processeur pendant chaque réponse (tout le processeur, autres programmes compris).',
      spec: {
        width,
        height: rowHeight * models.length,
        data: { values: energy },
        layer: [
          { mark: 'bar' },
          { mark: { type: 'text', align: 'left', dx: 4, fontSize: 12 }, encoding: { text: { field: 'joules', type: 'quantitative', format: ',.1f' } } },
        ],
        encoding: {
          y: { field: 'series', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } },
          x: { field: 'joules', type: 'quantitative', title: estimated ? 'Joules par réponse (médiane, estimation)' : 'Joules par réponse (médiane)' },
          color: { field: 'series', type: 'nominal', legend: null, sort: null },
        },
      },
    },
  ];
  const rendered: ReportChart[] = [];
  for (const { title, caption, spec } of specs) rendered.push({ title, caption, svg: await toSvg({ ...spec, config: CONFIG }, title) });
  return rendered;
}

/** Compiles a Vega-Lite specification and renders it headless to SVG (no canvas, no DOM, no network). */
async function toSvg(spec: VegaLiteSpec, title: string): Promise<string> {
  // Loaded here: only the report needs them.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: vega.loader({ mode: 'file' }) });
  try {
    const svg = await view.toSVG();
    // An accessible name for the drawing: screen readers announce the chart's title.
    return svg.replace('<svg ', `<svg role="img" aria-label="${title.replace(/"/gu, '&quot;')}" `);
  } finally {
    view.finalize();
  }
}
