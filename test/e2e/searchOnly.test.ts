/**
 * Guichet with no model installed, against `guichet serve` and the real engine on a real index of the DILA
 * associations feed: search and reading work from the first minute; related questions, the fiche reader, history,
 * statistics and the settings locked by machine policy.
 */
import { describe, expect, it } from 'vitest';
import { FichePage, QuestionPage, SearchPage, SettingsPage } from '../renderer/e2e/pages/guichetPages.js';
import { axeViolations, blocking } from './support/browser.js';
import { TEST_POLICY } from './support/guichetServe.js';
import { useShell } from './support/shellFixture.js';
import { snapshot } from './support/snapshots.js';

const QUESTION = 'Comment créer une association ?';
/** Its fiches list frequent questions (« Voir aussi »); those of QUESTION, a guide and question-réponse fiches, do not. */
const WITH_RELATED = 'Comment déclarer une association ?';
const LOCKED_POLICY = { ...TEST_POLICY, 'privacy.maskBeforeModel': true };
const shell = useShell({ model: false, policyFor: (name) => (name.includes('policy') ? LOCKED_POLICY : TEST_POLICY) });

describe('search-only Guichet (no model), with the real engine', () => {
  it('answers a question with the fiches’ best passages, sources and practical links, and says it is search only', async () => {
    const q = new QuestionPage(shell.page);
    await q.ask(QUESTION);
    await shell.page.getByText('Recherche seule', { exact: true }).waitFor();
    expect(await q.sourceCards().count()).toBeGreaterThan(0);
    await expect(shell.page.locator('.guichet-sources').innerText()).resolves.toMatch(/association/i);
    await expect(q.statusBar().innerText()).resolves.toMatch(/Aucun modèle : recherche seule/);
    await snapshot(shell.page, 'question-recherche-seule');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });

  it('asks a related question in one click', async () => {
    const q = new QuestionPage(shell.page);
    await q.ask(WITH_RELATED);
    await shell.page.getByText('Recherche seule', { exact: true }).waitFor();
    const related = shell.page.locator('.guichet-turn').last().getByRole('button', { name: /\?$/ }).first();
    const text = (await related.innerText()).trim();
    expect(text.length).toBeGreaterThan(5);
    await related.click();
    await shell.page.locator('.guichet-turn').nth(1).waitFor();
    await expect(shell.page.locator('.guichet-turn__question').nth(1).innerText()).resolves.toContain(text);
    await shell.page.getByText('Recherche seule', { exact: true }).nth(1).waitFor();
  });

  it('opens a fiche from its source card, whole and offline, with its source line', async () => {
    const q = new QuestionPage(shell.page);
    await q.ask(QUESTION);
    const card = q.sourceCards().first();
    const title = (await card.locator('.fr-card__title').innerText()).replace(/^\[[\d, ]+\]\s*/, '').trim();
    await card.getByRole('button', { name: 'Ouvrir la fiche' }).click();
    const fiche = new FichePage(shell.page);
    await expect(fiche.title().innerText()).resolves.toBe(title);
    await expect(shell.page.locator('.guichet-attribution').innerText()).resolves.toMatch(/Source : service-public\.fr \(DILA\)/);
    await snapshot(shell.page, 'fiche');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });

  it('searches the fiches on the search screen', async () => {
    await shell.page.goto(`${shell.guichet.origin}#/recherche`);
    await new SearchPage(shell.page).search('dissolution association');
    await expect(shell.page.locator('.guichet-stack article.fr-card').first().innerText()).resolves.toMatch(/association/i);
    await snapshot(shell.page, 'recherche');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });

  it('reopens a conversation from the history, with the same source cards: audience and passages', async () => {
    const q = new QuestionPage(shell.page);
    await q.ask(QUESTION);
    await shell.page.getByText('Recherche seule', { exact: true }).waitFor();
    const card = (i: number) => q.sourceCards().nth(i);
    const asked = { count: await q.sourceCards().count(), audience: await card(0).locator('.fr-badge--blue-ecume').textContent(), passages: await card(0).locator('.guichet-passage').count() };
    // The associations feed: an audience other than the « Particuliers » a reopened card used to get.
    expect(asked.audience).toBe('Associations');
    expect(asked.passages).toBeGreaterThan(0);
    await shell.page.goto(`${shell.guichet.origin}#/historique`);
    const entry = shell.page.getByRole('button', { name: /créer une association/i }).first();
    await entry.waitFor();
    await snapshot(shell.page, 'historique');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
    await entry.click();
    await expect(shell.page.locator('.guichet-turn__question').first().innerText()).resolves.toContain(QUESTION);
    await q.draft().waitFor();
    expect((await q.draft().innerText()).trim().length).toBeGreaterThan(0);
    await q.sourceCards().first().waitFor();
    expect(await q.sourceCards().count()).toBe(asked.count);
    await expect(card(0).locator('.fr-badge--blue-ecume').textContent()).resolves.toBe(asked.audience);
    await expect(card(0).locator('.guichet-passage').count()).resolves.toBe(asked.passages);
    await snapshot(shell.page, 'historique-conversation-rouverte');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });

  it('shows the statistics screen', async () => {
    await shell.page.goto(`${shell.guichet.origin}#/statistiques`);
    await shell.page.locator('main h1').first().waitFor();
    await expect(shell.page.locator('main').innerText()).resolves.toMatch(/brouillon/i);
    await snapshot(shell.page, 'statistiques');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });

  it('shows a setting locked by machine policy as locked, with the reason (policy)', async () => {
    await shell.page.goto(`${shell.guichet.origin}#/parametres`);
    const settings = new SettingsPage(shell.page);
    await settings.lockedHints().first().waitFor();
    const toggle = shell.page.getByRole('checkbox', { name: /Masquer les données personnelles/ });
    await expect(toggle.isDisabled()).resolves.toBe(true);
    await expect(toggle.isChecked()).resolves.toBe(true);
    await expect(settings.lockedHints().first().innerText()).resolves.toMatch(/politique|service informatique/i);
    // An unlocked one stays editable.
    await expect(shell.page.getByRole('checkbox', { name: /Récupérer les fiches à jour/ }).isDisabled()).resolves.toBe(false);
    await snapshot(shell.page, 'parametres-verrouilles');
    expect(blocking(await axeViolations(shell.page))).toEqual([]);
  });
});
