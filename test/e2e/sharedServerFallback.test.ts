/**
 * A shared model server, in Chromium against `guichet serve` and the real engine. When it answers (the OpenAI-compatible
 * stand-in writing stories260K's tokens), the draft says where it was written, and so does the history. When it does
 * not, with a model installed on this PC: the fiches are shown, the status bar names the server, and « Utiliser le
 * modèle du poste » has the tiny local model write the draft for this session — one click, never a silent switch.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { QuestionPage } from '../renderer/e2e/pages/guichetPages.js';
import { axeViolations, blocking, newPage } from './support/browser.js';
import { GUICHET_CLI, type ServedGuichet, startGuichet, TEST_POLICY, TINY_MODEL } from './support/guichetServe.js';
import { useBrowserWorkspace } from './support/shellFixture.js';
import { snapshot } from './support/snapshots.js';
import { startOpenAiStandIn } from '../support/openAiStandIn.js';

const run = promisify(execFile);
const QUESTION = 'Comment créer une association ?';
const shared = useBrowserWorkspace();
let guichet: ServedGuichet | undefined;
let context: BrowserContext | undefined;

afterEach(async () => {
  await context?.close();
  expect(await guichet?.stop()).not.toBeNull();
});

/** A loopback port nothing listens on: the server is unreachable (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `guichet serve` with policy allowing the shared server `host`, set to `url`, and the question screen open on it. */
async function openWithServer(name: string, host: string, url: string, before?: (cli: (...args: string[]) => Promise<unknown>) => Promise<unknown>) {
  const { workspace, browser } = shared;
  const dataDir = await workspace.dataDirWithIndex(name);
  const policyPath = await workspace.policy(name, { ...TEST_POLICY, 'remote.allowed': true, 'remote.allowedHosts': [host] });
  const cli = (...args: string[]) => run(process.execPath, [GUICHET_CLI, '--politique', policyPath, '--data-dir', dataDir, ...args]);
  await before?.(cli);
  await cli('settings', 'set', 'runtime.remote.url', url);
  guichet = await startGuichet({ dataDir, policyPath, model: false });
  const opened = await newPage(browser);
  context = opened.context;
  await opened.page.goto(guichet.url);
  const q = new QuestionPage(opened.page);
  await q.statusBar().getByText(`Modèle : serveur ${host}`).waitFor();
  return { page: opened.page, problems: opened.problems, q, origin: guichet.origin };
}

describe('a shared server that does not answer', () => {
  it('keeps the fiches and offers the model of this PC in one click, which then writes the draft', async () => {
    const port = await closedPort();
    const { page, problems, q } = await openWithServer('fallback', `127.0.0.1:${port}`, `http://127.0.0.1:${port}/v1`, (cli) => cli('models', 'add', TINY_MODEL));

    await q.ask(QUESTION);
    const offer = page.getByRole('button', { name: 'Utiliser le modèle du poste' });
    await offer.waitFor();
    expect(await q.sourceCards().count()).toBeGreaterThan(0);
    await expect(page.locator('.guichet-turn').innerText()).resolves.toMatch(/127\.0\.0\.1/);
    await snapshot(page, 'question-serveur-injoignable');
    expect(blocking(await axeViolations(page))).toEqual([]);

    await offer.click();
    await q.statusBar().getByText('Modèle : ce poste (pour cette session)').waitFor();
    // The same question, asked again in place and written on this PC: its first words are enough (a busy 2-vCPU
    // machine reads the tiny model's 1,600-token prompt in about two minutes).
    await page.locator('.guichet-draft--writing').waitFor();
    await expect(page.locator('.guichet-turn').count()).resolves.toBe(1);
    expect(await q.sourceCards().count()).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Utiliser le modèle du poste' }).count()).resolves.toBe(0);
    await q.stop();
    await page.getByText('Arrêté', { exact: true }).waitFor();
    await expect(page.locator('.guichet-written-on').count()).resolves.toBe(0);
    await expect(q.statusBar().innerText()).resolves.toMatch(/stories260K/i);
    await snapshot(page, 'question-modele-du-poste');
    expect(problems).toEqual([]);
  });
});

describe('a shared server that answers', () => {
  it('says on the draft, and again in the history, on which server it was written', async () => {
    const standIn = await startOpenAiStandIn({ modelPath: TINY_MODEL });
    try {
      const { page, problems, q, origin } = await openWithServer('shared-server', standIn.host, standIn.url);
      await q.ask(QUESTION);
      const writtenOn = page.locator('.guichet-turn .guichet-written-on');
      await writtenOn.waitFor();
      expect((await writtenOn.innerText()).trim()).toBe(`Rédigé sur ${standIn.host}`);
      await q.stopButton().waitFor({ state: 'hidden' });
      expect((await q.draft().innerText()).trim().length).toBeGreaterThan(0);
      expect(await q.sourceCards().count()).toBeGreaterThan(0);
      await snapshot(page, 'question-serveur-partage');
      expect(blocking(await axeViolations(page))).toEqual([]);

      await page.goto(`${origin}#/historique`);
      await page.getByRole('button', { name: /créer une association/ }).first().click();
      await q.draft().waitFor();
      await expect(page.locator('.guichet-turn').innerText()).resolves.toContain(`Brouillon de l'historique, rédigé sur ${standIn.host}.`);
      expect(problems).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});
