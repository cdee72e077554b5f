/**
 * Screenshot and accessibility harness: builds the renderer with the fake client (test-only entry), serves it on
 * 127.0.0.1 with a strict CSP, drives Debian's Chromium, and for every screen writes
 * `test/e2e/__screenshots__/client-simule/<screen>.png` (1366×768) and `<screen>@200.png` (200 % zoom), then runs axe-core.
 * Its own subfolder: the real shell's pictures (test/e2e/__screenshots__/, written by `npm test`) must not be overwritten
 * by fake-client ones of the same name.
 * Exits 1 on a serious or critical axe violation, a CSP violation or a page error.
 * `npm run screenshots [-- name-filter[,name-filter…]]`
 */
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { AppFrame, QuestionPage, RepliesPage, SearchPage } from './pages/guichetPages.js';
import { serveFolder } from './staticServer.js';
import { QUESTION } from '../fakes/fixtures.js';
import { PLAIN_STORAGE_WARNING } from '../../../electron/historyKey.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = `${repo}test/e2e/__screenshots__/client-simule/`;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

interface Shot {
  name: string;
  hash: string;
  query?: string;
  act?: (page: Page) => Promise<void>;
}

const SHOTS: Shot[] = [
  { name: 'question-accueil', hash: 'question' },
  { name: 'question-sources-avant-brouillon', hash: 'question', query: 'ask=hold', act: async (page) => {
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await q.sourceCards().first().waitFor();
  } },
  { name: 'question-reponse', hash: 'question', query: 'delay=30', act: async (page) => {
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await q.waitForDraftDone();
    await q.copy();
    await page.locator('.guichet-feedback').waitFor();
    await page.mouse.move(0, 0);
    await page.evaluate('window.scrollTo(0, 0)');
  } },
  { name: 'question-en-saisie', hash: 'question', act: async (page) => {
    await new QuestionPage(page).questionBox().pressSequentially(QUESTION.slice(0, 40), { delay: 5 });
    await page.getByText(/Lecture des extraits : 100/).waitFor();
  } },
  { name: 'question-arretee', hash: 'question', query: 'ask=hold&tokens=1', act: async (page) => {
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await q.draft().waitFor();
    await q.stop();
    await page.getByText('Arrêté', { exact: true }).waitFor();
  } },
  { name: 'question-service-etat-base-ancienne', hash: 'question', query: 'service=France%20Services%20de%20Figeac&old=1' },
  { name: 'question-theme-neutre', hash: 'question', query: 'theme=neutre&delay=0', act: async (page) => {
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await q.waitForDraftDone();
  } },
  { name: 'fiche', hash: 'fiche/F1341', act: async (page) => void (await page.locator('#fiche-title').waitFor()) },
  { name: 'recherche', hash: 'recherche', query: 'nomodel=1', act: async (page) => new SearchPage(page).search("carte d'identité mineur") },
  { name: 'reponses-usagers', hash: 'reponses', act: async (page) => new RepliesPage(page).draft("Bonjour, ma prime d'activité n'est plus versée depuis deux mois et personne ne me répond.", 'CAF de la Gironde') },
  { name: 'historique', hash: 'historique', act: async (page) => void (await page.getByRole('button', { name: /Prime d'activité/ }).waitFor()) },
  { name: 'statistiques', hash: 'statistiques', act: async (page) => void (await page.locator('.guichet-chart').waitFor()) },
  { name: 'question-reponse-serveur-partage', hash: 'question', query: 'remote=1&delay=0', act: async (page) => {
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await q.waitForDraftDone();
    await page.locator('.guichet-written-on').waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
  } },
  { name: 'parametres-serveur-partage', hash: 'parametres', query: 'remote=1', act: async (page) => {
    await page.locator('#remote-model').waitFor();
    // The section's top at the window's top: the address, the model and how the key is kept in one picture.
    await page.locator('#remote-title').evaluate((title) => title.scrollIntoView({ block: 'start' }));
  } },
  // The desktop app's notice of a PC without keystore, with its own text (the broken-policy notice: the real shell,
  // test/e2e/healthNotices.test.ts).
  { name: 'avis-historique-en-clair', hash: 'question', query: `notice=${encodeURIComponent(PLAIN_STORAGE_WARNING)}`, act: async (page) => void (await page.getByText(/trousseau sécurisé/).waitFor()) },
  { name: 'parametres-verrouilles', hash: 'parametres', query: 'locked=1', act: async (page) => void (await page.locator('.guichet-locked').first().waitFor()) },
];

async function main(): Promise<void> {
  const filter = process.argv[2];
  await build({ configFile: `${repo}test/renderer/harness/vite.config.ts`, logLevel: 'warn' });
  const server = await serveFolder(`${repo}dist/renderer-harness/`);
  const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  await mkdir(outDir, { recursive: true });
  const problems: string[] = [];
  try {
    // `a,b`: the screens whose name contains a or b.
    for (const shot of SHOTS.filter((s) => !filter || filter.split(',').some((part) => s.name.includes(part)))) {
      for (const zoom of [1, 2]) {
        // 200 % zoom: half the CSS viewport at twice the pixel density, as the browser's own zoom does.
        const context = await browser.newContext({ viewport: { width: 1366 / zoom, height: 768 / zoom }, deviceScaleFactor: zoom, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
        const page = await context.newPage();
        page.on('pageerror', (error) => problems.push(`${shot.name}: page error ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error' && !message.text().includes('404')) problems.push(`${shot.name}: console ${message.text()}`);
        });
        await new AppFrame(page).goto(server.url, shot.hash, shot.query);
        await page.locator('.guichet-statusbar').getByText(/Base : \d/).waitFor();
        await shot.act?.(page);
        await page.evaluate('document.fonts.ready');
        await page.waitForTimeout(250); // clock: let the DSFR's 0.3 s transitions settle before the picture
        const file = `${outDir}${shot.name}${zoom === 2 ? '@200' : ''}.png`;
        await page.screenshot({ path: file });
        if (zoom === 1) {
          await page.evaluate(axeSource);
          const violations = (await page.evaluate(
            "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))",
          )) as { id: string; impact: string; help: string; nodes: string[] }[];
          for (const v of violations) {
            const line = `${shot.name}: axe ${v.impact} ${v.id} — ${v.help} — ${v.nodes.join(' | ')}`;
            console.log(line);
            if (v.impact === 'serious' || v.impact === 'critical') problems.push(line);
          }
        }
        console.log(`écrit ${file.replace(repo, '')}`);
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (problems.length > 0) {
    console.error(`\n${problems.length} problème(s) :\n${problems.join('\n')}`);
    process.exitCode = 1;
  }
}

await main();
