/** Debian's Chromium through playwright-core, with the flags of ../shared/design/quality.md, and axe-core. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/**
 * A page at 1366×768, French locale, Paris time, at pixel density 2 so that `snapshot` can also render it as at 200 %
 * zoom. Collects page errors and console errors in `problems`.
 */
export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, deviceScaleFactor: 2, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  // The real engine on a busy 2-vCPU machine: a whole reply draft with the tiny model took up to 2 min (3× margin).
  page.setDefaultTimeout(360_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  // The console line of a failed load does not name the resource: the test's output does.
  page.on('response', (response) => {
    if (response.status() === 404) console.warn(`404 ${response.request().method()} ${response.url().replace(/jeton=[^&]+/, 'jeton=…')}`);
  });
  return { context, page, problems };
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

let axeSource: Promise<string> | undefined;

/** axe-core on the page as it is (injected with `evaluate`: `addScriptTag` is refused by the strict CSP). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  return (await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))",
  )) as AxeViolation[];
}

/** The serious and critical ones, as lines: what a test asserts is empty. */
export function blocking(violations: AxeViolation[]): string[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} — ${v.help} — ${v.nodes.join(' | ')}`);
}
