/**
 * The question screen against `guichet serve` with the real engine, the tiny test model (stories260K: its « drafts »
 * are nonsense, but they stream like a real model's) and a real index of the DILA associations feed.
 */
import { describe, expect, it } from 'vitest';
import { QuestionPage, RepliesPage } from '../renderer/e2e/pages/guichetPages.js';
import { axeViolations, blocking } from './support/browser.js';
import { readTimeline, waitForFirstToken, waitForLengths, watchDraft } from './support/draftObserver.js';
import { useShell } from './support/shellFixture.js';
import { snapshot } from './support/snapshots.js';

const QUESTION = 'Combien coûte la création d’une association ?';
const shell = useShell({ model: true });

describe('the question screen, with the real engine and a model', () => {
  it('shows the sources before the first token, then the draft arrives progressively', async () => {
    const { page } = shell;
    const q = new QuestionPage(page);
    await snapshot(page, 'question-accueil');
    expect(blocking(await axeViolations(page))).toEqual([]);
    await watchDraft(page);
    await q.ask(QUESTION);
    await q.sourceCards().first().waitFor();
    await snapshot(page, 'question-sources-avant-brouillon');
    expect(blocking(await axeViolations(page))).toEqual([]);
    await waitForLengths(page, 4, 240_000);
    const timeline = await readTimeline(page);
    expect(timeline.firstSourceAt).not.toBeNull();
    expect(timeline.firstTokenAt).not.toBeNull();
    expect(timeline.firstSourceAt!).toBeLessThan(timeline.firstTokenAt!);
    // Several growing lengths before the end: the text streams, it is not dropped in at once.
    expect(timeline.lengths.slice(0, 4)).toEqual([...timeline.lengths.slice(0, 4)].sort((a, b) => a - b));
    await expect(q.stopButton().isVisible()).resolves.toBe(true);
    await snapshot(page, 'question-brouillon-en-cours');
    expect(blocking(await axeViolations(page))).toEqual([]);
    // Only to end the turn: the sampled draft may have reached its end during the checks above (the stop itself is
    // the next test's), so either way the « Arrêter » button goes.
    await q.stop();
    await q.stopButton().waitFor({ state: 'hidden' });
  });

  it('« Arrêter » (Échap) keeps the partial draft, and it is saved in the history', async () => {
    const { page, guichet } = shell;
    const q = new QuestionPage(page);
    await q.ask(QUESTION);
    await waitForFirstToken(page, 240_000);
    await q.stop();
    await page.getByText('Arrêté', { exact: true }).waitFor({ timeout: 60_000 });
    const partial = (await q.draft().innerText()).trim();
    expect(partial.length).toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Copier le texte' }).last().isVisible()).resolves.toBe(true);
    // The partial draft is what the history keeps.
    await page.goto(`${guichet.origin}#/historique`);
    await page.getByRole('button', { name: /création d’une association/ }).first().click();
    await q.draft().waitFor();
    expect((await q.draft().innerText()).trim()).toBe(partial);
    // Reopened, it still says it was stopped before its end, once.
    await page.getByText('Arrêté', { exact: true }).waitFor();
    await expect(page.locator('.guichet-turn').innerText()).resolves.toContain("Brouillon de l'historique, arrêté avant la fin.");
    await snapshot(page, 'question-arretee');
    expect(blocking(await axeViolations(page))).toEqual([]);
  });

  it('drafts a reply to a citizen on the reply screen, with the AI mention', async () => {
    const { page, guichet } = shell;
    await page.goto(`${guichet.origin}#/reponses`);
    await new RepliesPage(page).draft('Bonjour, j’ai déposé la déclaration de notre association il y a deux mois et je n’ai toujours pas reçu le récépissé.', 'Préfecture de la Gironde');
    await expect(page.locator('main').innerText()).resolves.toMatch(/Mention ajoutée : « .+ »/);
    await snapshot(page, 'reponses-usagers');
    expect(blocking(await axeViolations(page))).toEqual([]);
  });
});
