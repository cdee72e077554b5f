/**
 * `npm run bench -- interface`: the agent's screen through Chromium against `guichet serve` with the real engine and
 * the tiny test model, on an index of the DILA associations feed. Per question (a fresh page each time): time from
 * Ctrl+Entrée to the first source card visible, to the first token of the draft, and the share of the engine's
 * tokens/s that reaches the page — the engine's generation time (its `totalMs − ttftMs`) over the time the page took
 * to show the same tokens (first to last change of the draft). Medians. A benchmark, never a test.
 */
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { type BenchSection, median } from './benchReport.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'scripts/bin/guichet.js');
const SHARED = join(ROOT, '../shared');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const QUESTIONS = ['Combien coûte la création d’une association ?', 'Comment dissoudre une association ?', 'Une association peut-elle embaucher un salarié ?', 'Comment modifier les statuts d’une association ?', 'Une association peut-elle recevoir des dons ?'];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface PageTimes {
  askedAt: number;
  firstSourceAt: number | null;
  firstTokenAt: number | null;
  lastChangeAt: number | null;
}

export async function interfaceBench(): Promise<BenchSection[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'guichet-bench-interface-'));
  const env = { ...process.env, GUICHET_THREADS: process.env.GUICHET_THREADS ?? '2', LANCEDB_LOG: 'error' };
  await promisify(execFile)(process.execPath, [CLI, '--data-dir', dataDir, 'corpus', 'import', '--from', join(SHARED, 'corpus/dila/vosdroits-asso-2020-11-12.zip')], { env });
  const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, '--json', 'serve', '--port', '0', '--no-open', '--model', join(SHARED, 'models/stories260K.gguf')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as { url?: string };
      if (parsed.url) resolve(parsed.url);
    });
    child.once('exit', (code) => reject(new Error(`guichet serve s'est arrêté (code ${code})`)));
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const toSources: number[] = [];
  const toToken: number[] = [];
  const shares: number[] = [];
  try {
    // One warm-up question loads the model; it is not counted.
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
      // The ask's own NDJSON (its result carries the engine's figures), teed before the page reads it.
      await context.addInitScript(`(() => {
        const original = globalThis.fetch;
        globalThis.fetch = async (...args) => {
          const response = await original(...args);
          if (String(args[0]).endsWith('/api/ask')) response.clone().text().then((text) => { globalThis.benchAskBody = text; });
          return response;
        };
      })()`);
      const page = await context.newPage();
      page.setDefaultTimeout(600_000);
      await page.goto(url);
      await page.locator('.guichet-statusbar').getByText(/Base : \d/).waitFor();
      await page.evaluate(`(() => {
        const t = { askedAt: 0, firstSourceAt: null, firstTokenAt: null, lastChangeAt: null };
        let last = 0;
        addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.ctrlKey) t.askedAt = performance.now(); }, true);
        new MutationObserver(() => {
          if (!t.askedAt) return;
          const card = document.querySelector('.guichet-sources article.fr-card');
          if (t.firstSourceAt === null && card && card.getBoundingClientRect().height > 0) t.firstSourceAt = performance.now();
          const draft = document.querySelector('.guichet-draft');
          const length = draft && draft.textContent ? draft.textContent.trim().length : 0;
          if (length > 0 && length !== last) { last = length; if (t.firstTokenAt === null) t.firstTokenAt = performance.now(); t.lastChangeAt = performance.now(); }
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
        globalThis.benchTimes = t;
      })()`);
      await page.locator('#question').fill(QUESTIONS[run % QUESTIONS.length]!);
      await page.locator('#question').press('Control+Enter');
      await page.waitForFunction(() => typeof (globalThis as { benchAskBody?: string }).benchAskBody === 'string');
      const body = (await page.evaluate('globalThis.benchAskBody')) as string;
      const lines = body.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; value?: { stats: { ttftMs: number | null; totalMs: number } } });
      await page.getByRole('button', { name: 'Copier le texte' }).last().waitFor();
      const times = (await page.evaluate('globalThis.benchTimes')) as PageTimes;
      const stats = lines.at(-1)?.value?.stats;
      await context.close();
      if (run === 0 || !stats || times.firstSourceAt === null || times.firstTokenAt === null || times.lastChangeAt === null || stats.ttftMs === null) continue;
      toSources.push(times.firstSourceAt - times.askedAt);
      toToken.push(times.firstTokenAt - times.askedAt);
      const pageMs = times.lastChangeAt - times.firstTokenAt;
      if (pageMs > 0) shares.push((stats.totalMs - stats.ttftMs) / pageMs);
    }
  } finally {
    await browser.close();
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
  return [
    {
      title: `Interface (Chromium, guichet serve, stories260K, ${toSources.length} questions après une de chauffe)`,
      figures: [
        { name: 'Ctrl+Entrée → première fiche visible (médiane)', value: median(toSources), unit: 'ms', target: '≤ 300 ms' },
        { name: 'Ctrl+Entrée → premier jeton affiché (médiane)', value: median(toToken), unit: 'ms' },
        { name: 'part du débit du moteur qui atteint la page (médiane)', value: median(shares), unit: 'ratio', target: '≥ 0,95' },
      ],
      notes: ['Part du débit : durée de génération du moteur (totalMs − ttftMs) / durée d’affichage des mêmes jetons dans la page.'],
    },
  ];
}
