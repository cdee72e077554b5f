import type { EvalComparison, EvalModelRun, EvalResults } from '../../assistant/eval/evalResults.js';
import type { EvalQuestion } from '../../assistant/eval/questionSet.js';
import { percentile, type RetrievalScores } from '../../assistant/knowledge/retrievalEval.js';
import { frenchDate } from '../../assistant/knowledge/ficheMarkdown.js';
import { frenchBytes, frenchDuration, frenchFixed, frenchNumber, frenchPercent } from '../../assistant/contract/frenchNumbers.js';
import { reportCharts, seriesName } from './evalCharts.js';
import { type Cell, escapeHtml, mark, REPORT_CSS, table } from './reportHtml.js';
import { weakFlagText } from './weakFlagText.js';

const num = (text: string): Cell => ({ html: escapeHtml(text), className: 'num' });

/**
 * The report a DSI reads: one self-contained French HTML page (styles inline, charts as inline SVG, no script, no
 * link to fetch), from one run or several runs of several PCs.
 */
export async function renderReport(comparison: EvalComparison): Promise<string> {
  const runs = comparison.runs.map((r) => r.results);
  const first = runs[0]!;
  const charts = await reportCharts(comparison);
  const models = comparison.runs.flatMap((run, runIndex) => run.results.models.map((model) => ({ model, run: run.results, series: seriesName(comparison, runIndex, model.fileName) })));
  const estimated = models.some(({ model }) => model.summary.energyJoules.source === 'estimation');
  const sections = [
    `<header><h1>Évaluation des modèles de langue</h1><p>Guichet ${escapeHtml(first.guichet.version)} — ${escapeHtml(runs.map((r) => r.machine.label).join(', '))} — ${escapeHtml(longDate(first.finishedAt))}</p></header>`,
    '<main>',
    `<p class="notice">Mesures faites hors ligne, sur ${runs.length > 1 ? 'ces postes' : 'ce poste'}, avec le corpus de fiches installé et le jeu de questions « ${escapeHtml(first.questionSet.name ?? first.questionSet.file)} » (${first.questionSet.questions.length} questions). Aucune donnée n'a quitté ${runs.length > 1 ? 'les postes' : 'le poste'}. Ce rapport s'ouvre dans n'importe quel navigateur, sans réseau.</p>`,
    ...warnings(runs),
    '<h2>En bref</h2>',
    summaryTable(models),
    precisionNote(first),
    metricDefinitions(estimated),
    '<h2>Graphiques</h2>',
    ...charts.map((c) => `<figure class="chart"><h3>${escapeHtml(c.title)}</h3>${c.svg}<p>${escapeHtml(c.caption)}</p></figure>`),
    '<h2>Recherche dans les fiches</h2>',
    '<p>La recherche ne dépend pas du modèle : elle est mesurée une fois par poste. Rappel@1 : la fiche attendue arrive en tête ; rappel@5 : parmi les cinq premières ; MRR : moyenne de 1/rang.</p>',
    ...runs.map((run) => retrievalTable(run, runs.length > 1)),
    '<h2>Rapidité, mémoire, énergie</h2>',
    efficiencyTable(models),
    '<h2>Postes</h2>',
    machinesTable(runs),
    '<h2>Détail par question</h2>',
    '<p>En rouge, ce qui manque : fiche attendue non citée, fait attendu absent, question hors sujet non reconnue. Le texte de chaque brouillon s\'ouvre sous sa ligne.</p>',
    ...comparison.runs.map((run, runIndex) => questionsTable(run.results, runs.length > 1 ? run.results.machine.label : null, (model) => seriesName(comparison, runIndex, model.fileName))),
    '</main>',
    `<footer>Rapport produit par Guichet ${escapeHtml(first.guichet.version)} (« guichet eval »). Jeu de questions : ${escapeHtml(first.questionSet.file)}, empreinte SHA-256 ${escapeHtml(first.questionSet.sha256.slice(0, 16))}…; corpus ${escapeHtml(first.corpus.version)}. Les chiffres bruts sont dans results.json, à côté de ce fichier.</footer>`,
  ];
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Évaluation des modèles de langue — Guichet</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${sections.join('\n')}
</body>
</html>
`;
}

function warnings(runs: readonly EvalResults[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    for (const failure of run.failedModels ?? []) {
      out.push(`<p class="warning">${escapeHtml(failure.fileName)} n'a pas pu être évalué${runs.length > 1 ? ` sur ${escapeHtml(run.machine.label)}` : ''} : ${escapeHtml(failure.message)}</p>`);
    }
  }
  const questionSets = new Set(runs.map((r) => r.questionSet.sha256));
  const corpora = new Set(runs.map((r) => r.corpus.version));
  if (questionSets.size > 1) out.push('<p class="warning">Attention : ces évaluations n\'ont pas toutes utilisé le même jeu de questions ; leurs chiffres de qualité ne se comparent pas directement.</p>');
  if (corpora.size > 1) out.push('<p class="warning">Attention : ces évaluations n\'ont pas toutes utilisé le même corpus de fiches.</p>');
  if (runs.some((r) => r.models.some((m) => m.summary.drafted < m.summary.answered))) {
    out.push('<p class="warning">Attention : pour certaines questions le modèle n\'a pas pu rédiger (voir le détail) ; ces questions ne comptent pas dans les chiffres de qualité.</p>');
  }
  return out;
}

function summaryTable(models: readonly { model: EvalModelRun; run: EvalResults; series: string }[]): string {
  return table(
    'Chaque ligne est un modèle sur un poste',
    ['Modèle', 'Fiche attendue citée', 'Citations valides', 'Sans citation', 'Hors sujet reconnu', 'Faits retrouvés', 'Premier mot (médiane)', 'Rédaction', 'Mémoire max.', 'Énergie / réponse'],
    models.map(({ model, series }) => {
      const s = model.summary;
      return [
        { html: `<strong>${escapeHtml(series)}</strong><br><span class="muted">${escapeHtml(`${model.quantization}, ${deviceLabel(model)}, ${model.threads} ${model.threads > 1 ? 'fils' : 'fil'}`)}</span>` },
        num(frenchPercent(s.citesGold)),
        num(frenchPercent(s.citationValidity)),
        num(frenchPercent(s.noCitation)),
        num(frenchPercent(s.outOfScopeDeclined)),
        num(frenchPercent(s.factsFound)),
        num(frenchDuration(s.ttftMs?.p50 ?? null)),
        num(`${frenchNumber(s.writingTokensPerSecond.p50, 1)} jetons/s`),
        num(frenchBytes(s.peakRssBytes)),
        num(`${frenchNumber(s.energyJoules.p50, 1)} J${s.energyJoules.source === 'estimation' ? ' (estimation)' : ''}`),
      ];
    }),
  );
}

/** How far apart two shares must be to mean something, on this many questions (95 % margin of a share near 50 %). */
function precisionNote(run: EvalResults): string {
  const scored = run.questionSet.questions.filter((q) => q.gold.length > 0).length;
  if (scored === 0) return '';
  const margin = Math.round(196 * Math.sqrt(0.25 / scored));
  return `<p>Ces parts sont mesurées sur ${scored} questions avec fiche attendue : un écart de moins d'environ ${margin} points entre deux modèles peut venir du hasard des questions. Pour départager deux modèles proches, évaluez-les sur un jeu plus grand.</p>`;
}

function metricDefinitions(estimated: boolean): string {
  const items: [string, string][] = [
    ['Fiche attendue citée', 'part des brouillons qui citent au moins une des fiches de référence de la question (questions hors sujet exclues).'],
    ['Citations valides', 'part des renvois [n] qui désignent bien un extrait donné au modèle ; un renvoi répété compte à chaque fois.'],
    ['Sans citation', 'part des brouillons sans aucun renvoi [n] : l\'agent ne peut pas vérifier leur source.'],
    ['Hors sujet reconnu', 'pour les questions auxquelles les fiches ne répondent pas, part des brouillons qui le disent au lieu d\'inventer.'],
    ['Faits retrouvés', 'part des faits attendus (montants, délais, pièces) présents dans le brouillon, sans tenir compte des accents, de la casse ni de l\'écriture des nombres (« 12,50 € » = « 12.5 euros »).'],
    ['Premier mot', 'délai entre la question et le premier mot du brouillon : recherche, lecture des extraits par le modèle, premier mot.'],
    ['Rédaction', 'jetons (morceaux de mots) écrits par seconde une fois le premier mot écrit.'],
    ['Temps de calcul', 'temps de processeur utilisé par le moteur pour une réponse (tous ses fils de calcul) : la base de l\'estimation d\'énergie.'],
    ['Mémoire max.', 'pic de mémoire du moteur de Guichet (index, modèle et calculs compris) pendant l\'évaluation de ce modèle.'],
    ['Énergie / réponse', estimated ? 'estimation : temps de calcul du moteur × puissance déclarée du processeur ÷ nombre de cœurs logiques ; les compteurs RAPL de ce poste ne sont pas lisibles.' : 'mesurée par les compteurs RAPL du processeur pendant chaque réponse.'],
    ['—', 'rien à mesurer : aucun renvoi [n] dans les brouillons, aucune question hors sujet ou aucun fait attendu dans le jeu.'],
  ];
  return `<dl class="metrics">${items.map(([term, text]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(text)}</dd>`).join('')}</dl>`;
}

function retrievalTable(run: EvalResults, labelled: boolean): string {
  const r = run.retrieval;
  const row = (label: string, s: RetrievalScores): Cell[] => [label, num(String(s.questions)), num(frenchPercent(s.recallAt1)), num(frenchPercent(s.recallAt5)), num(frenchFixed(s.mrr, 3))];
  const rows = [row('Toutes les questions', r), ...Object.entries(r.byKind).map(([kind, s]) => row(kindLabel(kind), s))];
  const caption = `${labelled ? `${run.machine.label} : ` : ''}recherche (latence médiane ${frenchDuration(r.latencyMs.p50)}, p95 ${frenchDuration(r.latencyMs.p95)})${r.skipped ? ` — ${r.skipped} ${r.skipped > 1 ? 'questions hors sujet non comptées' : 'question hors sujet non comptée'}` : ''}${r.weakFlag ? ` — ${weakFlagText(r.weakFlag)}` : ''}`;
  return table(caption, ['Type de question', 'Questions', 'Rappel@1', 'Rappel@5', 'MRR'], rows);
}

function efficiencyTable(models: readonly { model: EvalModelRun; series: string }[]): string {
  const spread = (s: { p50: number; p95: number } | null, unit: (v: number) => string): Cell =>
    s ? { html: `${escapeHtml(unit(s.p50))}<br><span class="muted">p95 ${escapeHtml(unit(s.p95))}</span>`, className: 'num' } : num('—');
  return table(
    'Médianes par réponse, et 95e centile (p95) dessous',
    ['Modèle', 'Chargement', 'Recherche', 'Lecture du prompt', 'Premier mot', 'Question → premier mot', 'Jetons du prompt', 'Vitesse de lecture', 'Vitesse de rédaction', 'Longueur', 'Temps de calcul'],
    models.map(({ model, series }) => {
      const s = model.summary;
      const cpu = percentile(model.answers.map((a) => a.cpuMs), 50);
      return [
        series,
        num(frenchDuration(model.loadMs)),
        spread(s.searchMs, frenchDuration),
        spread(s.promptReadMs, frenchDuration),
        spread(s.firstTokenMs, frenchDuration),
        spread(s.ttftMs, frenchDuration),
        num(frenchNumber(s.promptTokens.p50, 0)),
        num(s.readingTokensPerSecond ? `${frenchNumber(s.readingTokensPerSecond.p50, 0)} jetons/s` : '—'),
        num(`${frenchNumber(s.writingTokensPerSecond.p50, 1)} jetons/s`),
        num(`${frenchNumber(s.answerWords.p50, 0)} mots`),
        num(frenchDuration(cpu)),
      ];
    }),
  );
}

function machinesTable(runs: readonly EvalResults[]): string {
  return table(
    'Matériel et versions',
    ['Poste', 'Processeur', 'Mémoire', 'GPU', 'Système', 'llama.cpp', 'Guichet', 'Corpus', 'Énergie'],
    runs.map((run) => {
      const m = run.machine;
      return [
        m.label,
        `${m.cpu.model} — ${m.cpu.physicalCores} cœurs, ${m.cpu.logicalCores} fils${m.cpu.instructionSets.length ? ` (${m.cpu.instructionSets.join(', ')})` : ''}`,
        frenchBytes(m.ramBytes),
        m.gpus.length ? m.gpus.map((g) => `${g.name} (${g.backend})`).join(', ') : 'aucun utilisable',
        `${m.os} (${m.platform}, ${m.arch})`,
        m.llamaCpp,
        run.guichet.version,
        `${run.corpus.fiches.toLocaleString('fr-FR')} fiches à jour du ${frenchDate(run.corpus.knowledgeDate)}, recherche ${run.corpus.mode === 'hybrid' ? 'hybride' : 'plein texte'}`,
        m.energyCounters ? 'compteurs RAPL' : `estimation (${frenchNumber(run.settings.processorWatts, 0)} W)`,
      ];
    }),
  );
}

function questionsTable(run: EvalResults, label: string | null, series: (model: EvalModelRun) => string): string {
  const rankOf = new Map(run.retrieval.perQuestion.map((q) => [q.id, q.rank]));
  const rows = run.questionSet.questions.map((question) => {
    const rank = rankOf.get(question.id);
    const cells: Cell[] = [
      { html: `<strong>${escapeHtml(question.id)}</strong> ${escapeHtml(question.question)}<br><span class="muted">${escapeHtml(kindLabel(question.kind ?? ''))}${question.gold.length ? ` — attendu : ${escapeHtml(question.gold.join(', '))}` : ''}</span>` },
      question.outOfScope ? { html: '<span class="muted">hors sujet</span>' } : rank ? num(`rang ${rank}`) : { html: '<span class="ko">✗ absente</span>', className: 'miss' },
    ];
    for (const model of run.models) cells.push(answerCell(question, model));
    return cells;
  });
  return table(`${label ? `${label} : ` : ''}chaque question, la recherche et le brouillon de chaque modèle`, ['Question', 'Fiche trouvée', ...run.models.map(series)], rows, 'questions');
}

function answerCell(question: EvalQuestion, model: EvalModelRun): Cell {
  const record = model.answers.find((a) => a.questionId === question.id);
  if (!record) return { html: '<span class="muted">—</span>' };
  if (record.mode !== 'model') return { html: `<span class="ko">pas de brouillon</span> <span class="muted">(${escapeHtml(record.warnings.join(', ') || 'recherche seule')})</span>`, className: 'miss' };
  const s = record.score;
  const parts: string[] = [];
  if (question.outOfScope) parts.push(`hors sujet reconnu : ${cellText(mark(s.declines))}`);
  else parts.push(`fiche citée : ${cellText(mark(s.citesGold))}`);
  if (s.facts.expected) parts.push(`faits : <span class="${s.facts.missing.length ? 'ko' : 'ok'}">${s.facts.found.length}/${s.facts.expected}</span>${s.facts.missing.length ? ` <span class="muted">(manque ${escapeHtml(s.facts.missing.join(' ; '))})</span>` : ''}`);
  parts.push(`renvois : ${s.validMarks}/${s.marks}${s.invalidNumbers.length ? ` <span class="ko">(sans extrait : ${s.invalidNumbers.map((n) => `[${n}]`).join(' ')})</span>` : ''}`);
  parts.push(`<span class="muted">${frenchDuration(record.timings.ttftMs)} avant le premier mot</span>`);
  const missed = (question.outOfScope ? !s.declines : s.citesGold === false) || s.facts.missing.length > 0;
  return { html: `${parts.join('<br>')}<details><summary>Brouillon (${s.words} mots)</summary><pre>${escapeHtml(record.answer)}</pre></details>`, ...(missed ? { className: 'miss' } : {}) };
}

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? escapeHtml(cell) : cell.html;
}

const KIND_LABELS: Record<string, string> = {
  paraphrase: 'reformulation',
  acronym: 'sigle',
  short: 'question courte',
  typo: 'faute de frappe',
  situation: "situation d'usager",
  'out-of-scope': 'hors sujet',
  'piaf-title': 'PIAF (titre de fiche)',
  piaf: 'PIAF',
};

function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

function deviceLabel(model: EvalModelRun): string {
  return model.device.device === 'cpu' ? 'processeur' : `GPU ${model.device.device}${model.device.gpuName ? ` (${model.device.gpuName})` : ''}`;
}

function longDate(iso: string): string {
  return new Date(iso).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
}
